package com.dsqlcdc.customresource.dsql;

public record DeleteStreamRequest(String clusterIdentifier, String streamIdentifier, String clientToken) {}
