package com.dsqlcdc.infra.delivery;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.pipelines.CodePipeline;
import software.amazon.awscdk.regioninfo.RegionInfo;
import software.amazon.awscdk.services.codebuild.IProject;
import software.amazon.awscdk.services.codepipeline.IAction;
import software.amazon.awscdk.services.codepipeline.IStage;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.IConstruct;

/**
 * The cdk-nag (AwsSolutions) suppressions of the delivery pipeline stack, in one place. Every one
 * is an IAM5 finding on a policy that CDK Pipelines generates (its grants cannot be narrowed from
 * outside), applied to that one policy only and, through {@code appliesTo}, to the exact finding
 * only. Nothing else in the stack is suppressed: the artifact bucket, key, access-log bucket, log
 * group and CodeBuild projects are fixed rather than suppressed.
 */
final class PipelineNagSuppressions {

    static final String ARTIFACTS_REASON = "CDK Pipelines' grantRead/grantReadWrite on the pipeline's own artifact"
            + " bucket and its customer managed key: the action wildcards are the CDK grant sets (s3:GetObject*,"
            + " s3:GetBucket*, s3:List*, s3:DeleteObject*, s3:Abort*, kms:GenerateDataKey*, kms:ReEncrypt*) and"
            + " <bucket>/* covers the per-execution artifact objects, whose keys are not known in advance. No"
            + " other bucket or key is reachable.";
    static final String PROJECT_LOGS_REASON = "The CodeBuild L2's default grant on the project's own log group"
            + " (/aws/codebuild/<project>:*, i.e. its log streams) and report groups (<project>-*), whose names"
            + " exist only at build time; CDK Pipelines gives no way to drop it. Builds log to the KMS-encrypted"
            + " BuildLogs group with explicit retention.";
    static final String ASSET_LOGS_REASON = "CDK Pipelines' shared asset-publishing role serves one CodeBuild"
            + " project per asset (created after the role), so it gets CodeBuild's log and report-group"
            + " permissions for /aws/codebuild/* and report-group/* of this account and Region only.";
    static final String ASSET_START_BUILD_REASON = "CDK Pipelines' asset-publishing role is also the asset"
            + " actions' CodePipeline action role: codebuild:StartBuild/BatchGetBuilds/StopBuild on * lets it run"
            + " the per-asset projects created after it; builds in this (tools) account only.";
    static final String SELF_MUTATION_ROLES_REASON = "Self-mutation runs `cdk deploy` of this stack: it may assume"
            + " only this account's CDK bootstrap roles, enforced by the condition"
            + " iam:ResourceTag/aws-cdk:bootstrap-role in [image-publishing, file-publishing, deploy]; role names"
            + " depend on the bootstrap qualifier, so the resource is role/*.";
    static final String SELF_MUTATION_DESCRIBE_REASON = "Self-mutation runs the CDK CLI, which reads the bootstrap"
            + " stack's version (cloudformation:DescribeStacks) and lists the bootstrap bucket (s3:ListBucket)"
            + " before deploying; CDK Pipelines grants these read-only actions on *.";

    private final Stack stack;
    private final CodePipeline pipeline;
    private final String artifactBucketId;
    private final String keyId;

    PipelineNagSuppressions(Stack stack, CodePipeline pipeline, IBucket artifactBucket, IKey key) {
        this.stack = stack;
        this.pipeline = pipeline;
        this.artifactBucketId = logicalId(artifactBucket);
        this.keyId = logicalId(key);
    }

    void apply() {
        suppress(pipeline.getPipeline().getRole(), artifactReadWrite());
        for (IStage stage : pipeline.getPipeline().getStages()) {
            if (stage.getStageName().equals("Source")) {
                for (IAction action : stage.getActions()) {
                    // the action's role is created when the action binds: found by its path
                    // (<pipeline>/Source/<action name>/CodePipelineActionRole)
                    IConstruct actionRole = pipeline.getPipeline()
                            .getNode()
                            .findChild("Source")
                            .getNode()
                            .findChild(action.getActionProperties().getActionName())
                            .getNode()
                            .findChild("CodePipelineActionRole");
                    suppressOnPolicyOf(actionRole, artifactReadWrite());
                }
            }
        }

        List<NagPackSuppression> synth = new ArrayList<>(artifactReadWrite());
        synth.addAll(projectLogs(pipeline.getSynthProject()));
        suppress(pipeline.getSynthProject().getRole(), synth);

        List<NagPackSuppression> selfMutation = new ArrayList<>(artifactRead(true));
        selfMutation.addAll(projectLogs(pipeline.getSelfMutationProject()));
        selfMutation.add(
                suppression(SELF_MUTATION_ROLES_REASON, "Resource::arn:*:iam::" + stack.getAccount() + ":role/*"));
        selfMutation.add(suppression(SELF_MUTATION_DESCRIBE_REASON, "Resource::*"));
        suppress(pipeline.getSelfMutationProject().getRole(), selfMutation);

        IConstruct fileRole = pipeline.getNode().findChild("Assets").getNode().findChild("FileRole");
        List<NagPackSuppression> assets = new ArrayList<>(artifactRead(false));
        assets.add(suppression(
                ASSET_LOGS_REASON,
                "Resource::" + arnPrefix("logs") + "log-group:/aws/codebuild/*",
                "Resource::" + arnPrefix("codebuild") + "report-group/*"));
        assets.add(suppression(ASSET_START_BUILD_REASON, "Resource::*"));
        suppressOnPolicyOf(fileRole, assets);
    }

    private List<NagPackSuppression> artifactReadWrite() {
        return List.of(suppression(
                ARTIFACTS_REASON,
                "Action::s3:GetObject*",
                "Action::s3:GetBucket*",
                "Action::s3:List*",
                "Action::s3:DeleteObject*",
                "Action::s3:Abort*",
                "Resource::<" + artifactBucketId + ".Arn>/*",
                "Action::kms:GenerateDataKey*",
                "Action::kms:ReEncrypt*"));
    }

    /** @param encrypt whether the role also got the key's encrypt actions (self-mutation does, asset publishing not) */
    private List<NagPackSuppression> artifactRead(boolean encrypt) {
        List<String> findings = new ArrayList<>(List.of(
                "Action::s3:GetObject*",
                "Action::s3:GetBucket*",
                "Action::s3:List*",
                "Resource::<" + artifactBucketId + ".Arn>/*"));
        if (encrypt) {
            findings.addAll(List.of("Action::kms:GenerateDataKey*", "Action::kms:ReEncrypt*"));
        }
        return List.of(suppression(ARTIFACTS_REASON, findings.toArray(String[]::new)));
    }

    private List<NagPackSuppression> projectLogs(IProject project) {
        String projectId = logicalId(project);
        return List.of(suppression(
                PROJECT_LOGS_REASON,
                "Resource::" + arnPrefix("logs") + "log-group:/aws/codebuild/<" + projectId + ">:*",
                "Resource::" + arnPrefix("codebuild") + "report-group/<" + projectId + ">-*"));
    }

    /** @return e.g. {@code arn:aws:logs:eu-west-1:111111111111:}, as the template spells it (partition literals) */
    private String arnPrefix(String service) {
        return "arn:" + RegionInfo.get(stack.getRegion()).getPartition() + ":" + service + ":" + stack.getRegion() + ":"
                + stack.getAccount() + ":";
    }

    private void suppress(IRole role, List<NagPackSuppression> suppressions) {
        suppressOnPolicyOf(role, suppressions);
    }

    /** Suppresses on the role's generated default policy only (not the role, not other policies). */
    private static void suppressOnPolicyOf(IConstruct role, List<NagPackSuppression> suppressions) {
        NagSuppressions.addResourceSuppressions(role.getNode().findChild("DefaultPolicy"), suppressions);
    }

    private static NagPackSuppression suppression(String reason, String... appliesTo) {
        return NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .reason(reason)
                .appliesTo(List.of((Object[]) appliesTo))
                .build();
    }

    private String logicalId(IConstruct construct) {
        CfnElement element = (CfnElement) construct.getNode().getDefaultChild();
        return (String) stack.resolve(stack.getLogicalId(element));
    }
}
