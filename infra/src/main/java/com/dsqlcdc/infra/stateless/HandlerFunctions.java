package com.dsqlcdc.infra.stateless;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * The one shape of this app's custom-resource handlers: Java 25 (the newest Lambda Java runtime)
 * on arm64, 1 GB, each with its own log group. Kept here so the handlers cannot drift apart.
 */
final class HandlerFunctions {

    private HandlerFunctions() {
    }

    /**
     * @param scope        where the function and its log group go
     * @param id           the function's id; its log group is {@code <id>Logs}
     * @param handler      {@code Class::method} in the jar
     * @param timeout      the function's timeout
     * @param description  what the function does
     * @param code         the handler jar
     * @param logRetention retention of its log group
     * @return the function
     */
    static Function javaHandler(Construct scope, String id, String handler, Duration timeout, String description,
                                Code code, RetentionDays logRetention) {
        return Function.Builder.create(scope, id)
                .description(description)
                .runtime(Runtime.JAVA_25)
                .architecture(Architecture.ARM_64)
                .memorySize(1024)
                .timeout(timeout)
                .handler(handler)
                .code(code)
                .logGroup(logGroup(scope, id + "Logs", logRetention))
                .build();
    }

    /** @return a log group that goes with its stack: logs are diagnostics, not data */
    static LogGroup logGroup(Construct scope, String id, RetentionDays retention) {
        return LogGroup.Builder.create(scope, id)
                .retention(retention)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
    }
}
