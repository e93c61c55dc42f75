package com.dsqlcdc.clients.dsql;

import java.time.Instant;

/** {@code statusReason}: why a stream is IMPAIRED or FAILED. {@code updatedAt} may be null. */
public record StatusReason(String error, Instant updatedAt) {}
