package com.dsqlcdc.infra.stateless;

import com.dsqlcdc.infra.Nag;
import com.dsqlcdc.infra.Ordered;
import io.github.cdklabs.cdknag.NagPackSuppression;
import java.util.List;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;

/**
 * What a role needs to run SQL through the Redshift Data API, and no more (Service Authorization
 * Reference, "Actions, resources, and condition keys for Amazon Redshift Data API"; the Redshift
 * Management Guide, "Configuring IAM permissions" for the Data API):
 *
 * <ul>
 *   <li>{@code ExecuteStatement} and {@code BatchExecuteStatement} on the workgroup's ARN: a call that
 *       names {@code WorkgroupName} is authorised against that workgroup.
 *   <li>For a role that uses Data API sessions: the same two actions on {@code *} with
 *       {@code redshift-data:session-owner-iam-userid = ${aws:userid}}. A call that passes
 *       {@code SessionId} names no workgroup; the reference lists the workgroup as an optional (not a
 *       required) resource type of both actions, and AWS's own policy for sessions is {@code *} with
 *       this condition. So the role may only reuse sessions it opened itself, and the session's
 *       workgroup is the one it was opened on (in the first statement).
 *   <li>{@code DescribeStatement}, {@code GetStatementResult} and {@code CancelStatement} on {@code *}
 *       (they have no resource type) with {@code redshift-data:statement-owner-iam-userid =
 *       ${aws:userid}}: AWS's recommended policy, so the role sees and cancels only the statements
 *       of its own role session. For a Lambda function that session is named after the function: a
 *       statement submitted by one function cannot be described by another, even with the same role.
 * </ul>
 *
 * What the SQL may do is the database user's grants; which workgroup it reaches with IAM
 * credentials is {@code redshift-serverless:GetCredentials}, granted separately on one workgroup.
 */
final class DataApiGrants {

    /** The IAM policy variable of the caller's unique id (role id and session name). */
    static final String CALLER = "${aws:userid}";

    private DataApiGrants() {}

    /**
     * @param role         the role that runs SQL
     * @param workgroupArn the workgroup it runs SQL in
     * @param sessions     whether it passes {@code SessionId} (then it may use its own sessions)
     */
    static void grant(IRole role, String workgroupArn, boolean sessions) {
        List<String> submit = List.of("redshift-data:BatchExecuteStatement", "redshift-data:ExecuteStatement");
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(submit)
                .resources(List.of(workgroupArn))
                .build());
        if (sessions) {
            role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                    .actions(submit)
                    .resources(List.of("*"))
                    .conditions(
                            Ordered.map("StringEquals", Ordered.map("redshift-data:session-owner-iam-userid", CALLER)))
                    .build());
        }
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of(
                        "redshift-data:CancelStatement",
                        "redshift-data:DescribeStatement",
                        "redshift-data:GetStatementResult"))
                .resources(List.of("*"))
                .conditions(
                        Ordered.map("StringEquals", Ordered.map("redshift-data:statement-owner-iam-userid", CALLER)))
                .build());
    }

    /**
     * @param sessions whether the role was granted {@code SessionId} calls
     * @return the cdk-nag IAM5 suppression of {@code Resource::*} that goes with {@link #grant}
     */
    static NagPackSuppression resourceStar(boolean sessions) {
        return Nag.findings(
                "AwsSolutions-IAM5",
                "The Redshift Data API's DescribeStatement, GetStatementResult and CancelStatement"
                        + " have no resource type, so they are on Resource * with the condition"
                        + " redshift-data:statement-owner-iam-userid = ${aws:userid}: only this role session's own"
                        + " statements."
                        + (sessions
                                ? " Execute/BatchExecuteStatement calls that pass a SessionId name no workgroup, so they"
                                        + " are on Resource * with redshift-data:session-owner-iam-userid ="
                                        + " ${aws:userid}: only sessions this role session opened, on the workgroup"
                                        + " the other statement names."
                                : "")
                        + " Calls that name a workgroup are allowed on that workgroup's ARN only.",
                "Resource::\\*");
    }
}
