package com.dsqlcdc.customresource.dsql;

public record GetStreamRequest(String clusterIdentifier, String streamIdentifier) {}
