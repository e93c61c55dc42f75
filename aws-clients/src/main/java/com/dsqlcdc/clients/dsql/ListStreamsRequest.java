package com.dsqlcdc.clients.dsql;

/** ListStreams input: {@code maxResults} 1-100 (null: service default), {@code nextToken} null for the first page. */
public record ListStreamsRequest(String clusterIdentifier, Integer maxResults, String nextToken) {}
