package com.dsqlcdc.infra.stateless;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * The one shape of this app's Java handlers (custom resources, the chunk sweep): Java 25 (the
 * newest Lambda Java runtime) on arm64, 1 GB, each with its own log group. Kept here so the
 * handlers cannot drift apart.
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
        return javaHandlerBuilder(scope, id, handler, timeout, description, code,
                logGroup(scope, id + "Logs", logRetention)).build();
    }

    /**
     * The same shape, left open for what a handler adds (its own role, its environment).
     *
     * @param scope       where the function goes
     * @param id          the function's id
     * @param handler     {@code Class::method} in the jar
     * @param timeout     the function's timeout
     * @param description what the function does
     * @param code        the handler jar
     * @param logGroup    its log group (see {@link #logGroup})
     * @return the builder
     */
    static Function.Builder javaHandlerBuilder(Construct scope, String id, String handler, Duration timeout,
                                               String description, Code code, LogGroup logGroup) {
        return Function.Builder.create(scope, id)
                .description(description)
                .runtime(Runtime.JAVA_25)
                .architecture(Architecture.ARM_64)
                .memorySize(1024)
                .timeout(timeout)
                .handler(handler)
                .code(code)
                .logGroup(logGroup);
    }

    /**
     * An execution role of the function's own, child {@code Role} of {@code scope}, instead of
     * AWSLambdaBasicExecutionRole (logs on "*"): it may write to {@code logGroup} and nothing else
     * until the caller grants more.
     *
     * @param scope       the construct that owns the function
     * @param description what the role is for
     * @param logGroup    the function's log group
     * @return the role
     */
    static Role executionRole(Construct scope, String description, LogGroup logGroup) {
        Role role = Role.Builder.create(scope, "Role")
                .description(description)
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .build();
        logGroup.grantWrite(role);
        return role;
    }

    /** @return a log group that goes with its stack: logs are diagnostics, not data */
    static LogGroup logGroup(Construct scope, String id, RetentionDays retention) {
        return LogGroup.Builder.create(scope, id)
                .retention(retention)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
    }
}
