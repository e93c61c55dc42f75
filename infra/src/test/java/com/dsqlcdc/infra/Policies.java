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
     * @param action   an action, or a list of them
     * @param resource a resource, or a list of them, as the template holds them
     * @return the statement that allows them, unconditionally
     */
    public static Map<String, Object> allow(Object action, Object resource) {
        return Map.of("Effect", "Allow", "Action", action, "Resource", resource);
    }

    /**
     * @param action    an action, or a list of them
     * @param resource  a resource, or a list of them, as the template holds them
     * @param condition the statement's Condition
     * @return the statement that allows them under the condition
     */
    public static Map<String, Object> allow(Object action, Object resource, Map<String, Object> condition) {
        return Map.of("Effect", "Allow", "Action", action, "Resource", resource, "Condition", condition);
    }

    /**
     * Asserts that no IAM policy of the template allows an action matching {@code actionPattern},
     * alone or in a list.
     *
     * @param template      the template
     * @param actionPattern a regular expression of actions, e.g. {@code redshift-data:.*}
     */
    public static void assertNoAction(Template template, String actionPattern) {
        Matcher action = Match.stringLikeRegexp(actionPattern);
        for (Object actions : List.of(action, Match.arrayWith(List.of(action)))) {
            template.allResourcesProperties(
                    "AWS::IAM::Policy",
                    Match.objectLike(Map.of(
                            "PolicyDocument",
                            Match.objectLike(Map.of(
                                    "Statement",
                                    Match.not(
                                            Match.arrayWith(List.of(Match.objectLike(Map.of("Action", actions))))))))));
        }
    }

    /**
     * @param workgroupArn the workgroup's ARN, as the template holds it
     * @return the Data API statement of a role that submits statements naming that workgroup
     */
    public static Map<String, Object> submitsStatementsIn(Object workgroupArn) {
        return allow(List.of("redshift-data:BatchExecuteStatement", "redshift-data:ExecuteStatement"), workgroupArn);
    }

    /** @return the Data API statement that lets a role session reuse only the sessions it opened */
    public static Map<String, Object> ownSessionsOnly() {
        return allow(
                List.of("redshift-data:BatchExecuteStatement", "redshift-data:ExecuteStatement"),
                "*",
                Map.of("StringEquals", Map.of("redshift-data:session-owner-iam-userid", "${aws:userid}")));
    }

    /** @return the Data API statement that lets a role session see and cancel only its own statements */
    public static Map<String, Object> ownStatementsOnly() {
        return allow(
                List.of(
                        "redshift-data:CancelStatement",
                        "redshift-data:DescribeStatement",
                        "redshift-data:GetStatementResult"),
                "*",
                Map.of("StringEquals", Map.of("redshift-data:statement-owner-iam-userid", "${aws:userid}")));
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
