package com.dsqlcdc.infra.stateless;

import com.dsqlcdc.contract.env.CustomResourceEnvironment;
import com.dsqlcdc.contract.env.LambdaEnvironment;
import com.dsqlcdc.infra.Nag;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.customresources.Provider;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.IFunction;
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

    private HandlerFunctions() {}

    /**
     * @param scope        where the function and its log group go
     * @param id           the function's id; its log group is {@code <id>Logs}, its execution role
     *                     {@code <id>Role} (logs only until the caller grants more)
     * @param handler      {@code Class::method} in the jar
     * @param timeout      the function's timeout
     * @param description  what the function does
     * @param code         the handler jar
     * @param logRetention retention of its log group
     * @param serviceName  Powertools' service name, the {@code service} of every log line (one of
     *                     {@link CustomResourceEnvironment}'s {@code *_SERVICE})
     * @return the function
     */
    static Function javaHandler(
            Construct scope,
            String id,
            String handler,
            Duration timeout,
            String description,
            Code code,
            RetentionDays logRetention,
            String serviceName) {
        LogGroup logGroup = logGroup(scope, id + "Logs", logRetention);
        return javaHandlerBuilder(scope, id, handler, timeout, description, code, logGroup)
                .role(executionRole(scope, id + "Role", description, logGroup))
                .environment(CustomResourceEnvironment.ENVIRONMENT
                        .writer(Token::isUnresolved)
                        .put(LambdaEnvironment.SERVICE_NAME, serviceName)
                        .build())
                .build();
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
    static Function.Builder javaHandlerBuilder(
            Construct scope,
            String id,
            String handler,
            Duration timeout,
            String description,
            Code code,
            LogGroup logGroup) {
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
        return executionRole(scope, "Role", description, logGroup);
    }

    /**
     * {@link #executionRole(Construct, String, LogGroup)} with its own id, for a construct with
     * several functions.
     *
     * @param scope       the construct that owns the function
     * @param id          the role's id
     * @param description what the role is for
     * @param logGroup    the function's log group
     * @return the role
     */
    static Role executionRole(Construct scope, String id, String description, LogGroup logGroup) {
        return executionRole(scope, id, null, description, logGroup);
    }

    /**
     * {@link #executionRole(Construct, String, String, LogGroup)} with a physical name, for a role that
     * something outside CloudFormation must name before the deploy (a database's role mapping).
     *
     * @param roleName the role's name, or null for a generated one
     */
    static Role executionRole(Construct scope, String id, String roleName, String description, LogGroup logGroup) {
        Role role = Role.Builder.create(scope, id)
                .roleName(roleName)
                .description(description)
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .build();
        logGroup.grantWrite(role);
        return role;
    }

    /**
     * The CDK Provider framework's own functions and roles: what cdk-nag finds in them is how the
     * framework is built, and the framework offers no option to change it.
     *
     * @param provider the provider
     */
    static void suppressProviderFramework(Provider provider) {
        Nag.suppress(
                provider,
                Nag.findings(
                        "AwsSolutions-IAM4",
                        "The CDK Provider framework's functions (onEvent, isComplete,"
                                + " onTimeout) use AWSLambdaBasicExecutionRole, which grants CloudWatch Logs writes"
                                + " only; the framework creates these roles itself.",
                        Nag.literal(Nag.BASIC_EXECUTION_ROLE)),
                Nag.findings(
                        "AwsSolutions-IAM5",
                        "The Provider framework may invoke our handler functions and"
                                + " their versions (lambda:InvokeFunction on <function ARN>:*), and the waiter state"
                                + " machine the framework's own functions; nothing else.",
                        "Resource::<" + Nag.logicalId("") + "\\.Arn>:\\*"));
    }

    /**
     * The waiter state machine of an asynchronous Provider (one with isComplete): what cdk-nag finds
     * in it is how the framework builds it, and logging it would only repeat the handlers' logs.
     * Build the provider with {@code disableWaiterStateMachineLogging(true)}.
     *
     * @param provider the provider
     */
    static void suppressWaiterStateMachine(Provider provider) {
        Nag.suppress(
                provider,
                Nag.rule(
                        "AwsSolutions-SF1",
                        "The Provider's waiter state machine only polls isComplete: the"
                                + " handler and framework logs (explicit retention) already say why a create or delete"
                                + " failed or timed out, and state machine logging would give its role log-delivery"
                                + " permissions on \"*\"."),
                Nag.rule(
                        "AwsSolutions-SF2",
                        "The Provider framework offers no X-Ray option for its waiter state"
                                + " machine; it runs a few polls per deploy, traced by the handlers' and framework's logs."));
    }

    /**
     * Runs {@code function} every {@code interval} from an EventBridge schedule ({@code Schedule}
     * under {@code scope}), for the app's scheduled checks.
     *
     * @param scope       the construct that owns the function
     * @param function    what to run
     * @param interval    how often
     * @param description the rule's description
     * @return the rule
     */
    static Rule runEvery(Construct scope, IFunction function, Duration interval, String description) {
        return Rule.Builder.create(scope, "Schedule")
                .description(description)
                .schedule(Schedule.rate(interval))
                .targets(List.of(new LambdaFunction(function)))
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
