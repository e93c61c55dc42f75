package com.dsqlcdc.replay;

/** A source object that is not what its bucket should hold (not a quarantine or on-failure record). */
final class UnreadableSourceException extends RuntimeException {

    UnreadableSourceException(String message) {
        super(message);
    }

    UnreadableSourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
