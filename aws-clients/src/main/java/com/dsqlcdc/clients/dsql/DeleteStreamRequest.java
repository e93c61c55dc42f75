package com.dsqlcdc.clients.dsql;

public record DeleteStreamRequest(String clusterIdentifier, String streamIdentifier, String clientToken) {}
