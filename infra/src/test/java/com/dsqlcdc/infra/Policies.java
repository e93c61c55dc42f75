package com.dsqlcdc.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Matcher;
import software.amazon.awscdk.assertions.Template;

/**
 * How the tests state what a role may do: the whole of its one policy, statement by statement, so
 * that a grant added anywhere in the app shows up as a failure here.
 */
public final class Policies {

    private Policies() {}

    /**
     * Asserts that exactly one IAM policy is attached to the role and that it holds exactly these
     * statements, in this order.
     *
     * @param template   the template of the role's stack
     * @param roleRef    the role's resolved name ({@code stack.resolve(role.getRoleName())})
     * @param statements the policy's statements
     */
    public static void assertOnlyPolicy(Template template, Object roleRef, List<?> statements) {
        assertThat(template.findResources(
                        "AWS::IAM::Policy",
                        Match.objectLike(Map.of(
                                "Properties", Match.objectLike(Map.of("Roles", Match.arrayWith(List.of(roleRef))))))))
                .hasSize(1);
        template.hasResourceProperties(
                "AWS::IAM::Policy",
                Match.objectLike(Map.of(
                        "Roles", List.of(roleRef),
                        "PolicyDocument",
                                Match.objectEquals(Map.of("Version", "2012-10-17", "Statement", statements)))));
    }

    /**
     * @param logGroupLogicalIdPrefix the start of the function's log group's logical id
     * @return the statement every handler role starts with: write its own log group, nothing else
     */
    public static Map<String, Object> writesItsLogGroup(String logGroupLogicalIdPrefix) {
        return Map.of(
                "Effect",
                "Allow",
                "Action",
                List.of("logs:CreateLogStream", "logs:PutLogEvents"),
                "Resource",
                Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp(logGroupLogicalIdPrefix + ".*"), "Arn")));
    }

    /**
     * @param description what the role's description must match
     * @return all the properties of a role that only Lambda can assume and that has no inline or
     *         managed policy of its own
     */
    public static Matcher lambdaRole(Object description) {
        return Match.objectEquals(Map.of(
                "AssumeRolePolicyDocument",
                        Map.of(
                                "Version",
                                "2012-10-17",
                                "Statement",
                                List.of(Map.of(
                                        "Action", "sts:AssumeRole",
                                        "Effect", "Allow",
                                        "Principal", Map.of("Service", "lambda.amazonaws.com")))),
                "Description", description,
                "Tags", Match.anyValue()));
    }

    /**
     * @param service the service's endpoint prefix, e.g. {@code s3}
     * @return the condition of a KMS grant that counts only through that service in
     *         {@value TestSupport#REGION}
     */
    public static Map<String, Object> viaService(String service) {
        return Map.of(
                "StringEquals",
                Map.of(
                        "kms:ViaService",
                        Map.of(
                                "Fn::Join",
                                List.of(
                                        "",
                                        List.of(
                                                service + "." + TestSupport.REGION + ".",
                                                Map.of("Ref", "AWS::URLSuffix"))))));
    }
}
