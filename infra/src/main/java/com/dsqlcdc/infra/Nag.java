package com.dsqlcdc.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import java.util.Arrays;
import java.util.List;
import software.amazon.awscdk.Stack;
import software.constructs.IConstruct;

/**
 * cdk-nag suppressions, written where the suppressed resource is made so the reason sits beside the
 * code it excuses. Every one names its rule, the finding it covers where the rule reports several
 * ({@code appliesTo}, as a pattern anchored at both ends so it matches that one resource pattern and
 * nothing else), and a reason. The policy and the full list are in NAG.md; {@code NagTest} proves
 * nothing else is suppressed and nothing is left.
 */
public final class Nag {

    private Nag() {}

    /**
     * @param rule   e.g. {@code AwsSolutions-SF2}
     * @param reason why the finding is acceptable here
     * @return a suppression of every finding of the rule on the resource
     */
    public static NagPackSuppression rule(String rule, String reason) {
        return NagPackSuppression.builder().id(rule).reason(reason).build();
    }

    /**
     * @param rule     e.g. {@code AwsSolutions-IAM5}
     * @param reason   why the findings are acceptable here
     * @param patterns regular expressions (without delimiters or anchors) of the findings covered,
     *                 e.g. {@code Resource::<StagingBucket[0-9A-F]{8}\.Arn>/staging/\*}
     * @return a suppression of those findings of the rule only
     */
    public static NagPackSuppression findings(String rule, String reason, String... patterns) {
        List<Object> appliesTo = Arrays.stream(patterns)
                .<Object>map(pattern ->
                        RegexAppliesTo.builder().regex("/^" + pattern + "$/").build())
                .toList();
        return NagPackSuppression.builder()
                .id(rule)
                .reason(reason)
                .appliesTo(appliesTo)
                .build();
    }

    /**
     * Suppresses on {@code construct} and what it contains (an L2 role's default policy is its child).
     *
     * @param construct    the resource, or the construct that owns the resources
     * @param suppressions what to suppress
     */
    public static void suppress(IConstruct construct, NagPackSuppression... suppressions) {
        NagSuppressions.addResourceSuppressions(construct, List.of(suppressions), true);
    }

    /**
     * Suppresses on a resource CDK creates outside the construct tree we own (a singleton of the stack).
     *
     * @param stack        the stack
     * @param relativePath the resource's path below the stack, e.g. {@code Provider/ServiceRole/Resource}
     * @param suppressions what to suppress
     */
    public static void suppressAt(Stack stack, String relativePath, NagPackSuppression... suppressions) {
        NagSuppressions.addResourceSuppressionsByPath(
                stack, "/" + stack.getNode().getPath() + "/" + relativePath, List.of(suppressions), true);
    }

    /** The construct id CDK gives the AwsCustomResource singleton function of a stack (fixed in aws-cdk-lib). */
    public static final String AWS_CUSTOM_RESOURCE_SINGLETON = "AWS679f53fac002430cb0da5b7982bd2287";

    /**
     * The IAM4 finding on the role of CDK's AwsCustomResource singleton function, a singleton of the
     * stack outside the construct tree we own: AWSLambdaBasicExecutionRole, logs only.
     *
     * @param stack the stack
     * @param call  what the function calls, with its own policy (e.g. "GetNamespace on this namespace")
     */
    public static void suppressAwsCustomResourceSingleton(Stack stack, String call) {
        suppressAt(
                stack,
                AWS_CUSTOM_RESOURCE_SINGLETON + "/ServiceRole/Resource",
                findings(
                        "AwsSolutions-IAM4",
                        "CDK's AwsCustomResource function (a singleton CDK writes) uses"
                                + " AWSLambdaBasicExecutionRole, CloudWatch Logs writes only; its API call, " + call
                                + ", has its own policy.",
                        literal(BASIC_EXECUTION_ROLE)));
    }

    /** The managed policy CDK gives the functions it writes itself (logs only). */
    public static final String BASIC_EXECUTION_ROLE =
            "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

    /**
     * @param text literal text
     * @return a pattern matching exactly that text (ECMAScript escaping: cdk-nag runs on Node)
     */
    public static String literal(String text) {
        return text.replaceAll("[\\\\^$.|?*+()\\[\\]{}/<>-]", "\\\\$0");
    }

    /** A logical id in a finding: the construct id CDK derives it from, then an 8-hex-digit hash. */
    public static String logicalId(String constructIdPrefix) {
        return constructIdPrefix + "[A-Za-z0-9]*[0-9A-F]{8}";
    }
}
