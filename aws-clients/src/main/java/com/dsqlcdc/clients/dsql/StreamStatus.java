package com.dsqlcdc.clients.dsql;

/** Lifecycle of a DSQL CDC stream, as GetStream/ListStreams report it. */
public enum StreamStatus {
    CREATING,
    ACTIVE,
    /** Delivery is failing; DSQL retries by itself and keeps changes for one week. */
    IMPAIRED,
    /** Permanent: the stream must be deleted and created again. */
    FAILED,
    DELETING,
    DELETED,
    /** A value this code does not know yet (the service added one). */
    UNKNOWN_TO_CLIENT;

    public static StreamStatus fromValue(String value) {
        if (value == null) {
            return UNKNOWN_TO_CLIENT;
        }
        for (StreamStatus status : values()) {
            if (status.name().equals(value)) {
                return status;
            }
        }
        return UNKNOWN_TO_CLIENT;
    }

    /** A stream in this state still exists, or is still coming into existence. */
    public boolean isLive() {
        return this == CREATING || this == ACTIVE || this == IMPAIRED;
    }
}
