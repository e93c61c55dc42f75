package com.dsqlcdc.contract.env;

import java.util.List;

/**
 * The environment of the custom-resource handlers ({@code custom-resource/}: the CDC stream's
 * onEvent and isComplete, the warehouse schema's onEvent), written by infra's
 * {@code HandlerFunctions.javaHandler}. The handlers read nothing of their own from it (their
 * inputs are the resource properties): Powertools reads the service name and the log level.
 */
public final class CustomResourceEnvironment {

    /** Service name of the CDC stream resource's handlers: the logs' {@code service}. */
    public static final String STREAM_RESOURCE_SERVICE = "dsql-cdc-stream-resource";
    /** Service name of the warehouse schema resource's handler: the logs' {@code service}. */
    public static final String WAREHOUSE_SCHEMA_SERVICE = "dsql-cdc-warehouse-schema";

    /** Every variable of a custom-resource handler. */
    public static final FunctionEnvironment ENVIRONMENT = new FunctionEnvironment(
            "custom resource",
            "infra's HandlerFunctions.javaHandler",
            List.of(LambdaEnvironment.SERVICE_NAME, LambdaEnvironment.LOG_LEVEL));

    private CustomResourceEnvironment() {}
}
