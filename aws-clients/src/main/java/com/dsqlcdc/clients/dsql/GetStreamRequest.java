package com.dsqlcdc.clients.dsql;

public record GetStreamRequest(String clusterIdentifier, String streamIdentifier) {}
