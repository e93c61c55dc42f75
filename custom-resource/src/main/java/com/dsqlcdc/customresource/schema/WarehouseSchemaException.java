package com.dsqlcdc.customresource.schema;

/**
 * A failure of {@code Custom::WarehouseSchema} to report to CloudFormation as it is: the message
 * is written for the operator who reads it in the stack events (which SQL failed, the database's
 * own error text, and what to do about it).
 */
public final class WarehouseSchemaException extends RuntimeException {
    public WarehouseSchemaException(String message) {
        super(message);
    }

    public WarehouseSchemaException(String message, Throwable cause) {
        super(message, cause);
    }
}
