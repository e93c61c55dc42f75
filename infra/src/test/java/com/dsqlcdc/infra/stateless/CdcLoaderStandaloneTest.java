package com.dsqlcdc.infra.stateless;

import static org.assertj.core.api.Assertions.assertThat;

import com.dsqlcdc.infra.Policies;
import com.dsqlcdc.infra.TestSupport;
import com.dsqlcdc.infra.stateful.IRedshiftTarget;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.IBucket;

/**
 * {@link CdcLoader} in an app that has nothing else of this one: a bare stack, a warehouse given by
 * name and ARN with an imported COPY role, an imported staging bucket without a customer managed key,
 * and the default tuning. What another team gets: the function and its schedule, the role's grants
 * on exactly those resources (no key statement for a bucket without a key), {@link
 * CdcLoader#grantInvoke} and the loader's metrics.
 */
class CdcLoaderStandaloneTest {

    private static final String WORKGROUP_ARN =
            "arn:aws:redshift-serverless:eu-west-1:123456789012:workgroup/0f6e4a5c-1234-4d7e-9abc-0123456789ab";
    private static final String COPY_ROLE_ARN = "arn:aws:iam::123456789012:role/analytics-copy";

    private static Stack stack;
    private static CdcLoader loader;
    private static IBucket staging;
    private static Role operator;
    private static Template template;

    @BeforeAll
    static void synth() {
        stack = new Stack(new App(), "Analytics");
        staging = Bucket.fromBucketName(stack, "Staging", "analytics-staging");
        loader = new CdcLoader(
                stack,
                "Loader",
                new CdcLoaderProps(
                        Code.fromAsset(TestSupport.CONSUMER_JAR.toString()),
                        warehouse(Role.fromRoleArn(stack, "CopyRole", COPY_ROLE_ARN)),
                        staging,
                        RetentionDays.ONE_MONTH,
                        CdcLoaderProps.Tuning.defaults()));
        operator = Role.Builder.create(stack, "Operator")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .build();
        loader.grantInvoke(operator);
        template = Template.fromStack(stack);
    }

    private static IRedshiftTarget warehouse(IRole copyRole) {
        return new IRedshiftTarget() {
            @Override
            public String getWorkgroupName() {
                return "analytics";
            }

            @Override
            public String getWorkgroupArn() {
                return WORKGROUP_ARN;
            }

            @Override
            public String getDatabaseName() {
                return "events";
            }

            @Override
            public int getMaxSuperStringBytes() {
                return 65_535;
            }

            @Override
            public IRole getCopyRole() {
                return copyRole;
            }
        };
    }

    private static Object ref(Object token) {
        return stack.resolve(token);
    }

    @Test
    void functionLoadsIntoTheGivenWarehouseEveryFiveMinutesByDefault() {
        template.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Handler",
                        CdcLoader.HANDLER,
                        "ReservedConcurrentExecutions",
                        1,
                        "Environment",
                        Map.of(
                                "Variables",
                                Match.objectEquals(Map.ofEntries(
                                        Map.entry("STAGING_BUCKET", "analytics-staging"),
                                        Map.entry("COPY_ROLE_ARN", COPY_ROLE_ARN),
                                        Map.entry("WORKGROUP_NAME", "analytics"),
                                        Map.entry("DATABASE_NAME", "events"),
                                        Map.entry("LOAD_INTERVAL_SECONDS", "300"),
                                        Map.entry("LOG_RETENTION_DAYS", "0"),
                                        Map.entry("POWERTOOLS_SERVICE_NAME", "dsql-cdc-loader"),
                                        Map.entry("POWERTOOLS_METRICS_NAMESPACE", "DsqlCdcPipeline"),
                                        Map.entry("POWERTOOLS_LOG_LEVEL", "INFO")))))));
        template.hasResourceProperties(
                "AWS::Events::Rule", Match.objectLike(Map.of("ScheduleExpression", "rate(5 minutes)")));
    }

    @Test
    void roleGetsTheBucketsPrefixesTheDataApiAndCredentialsOfThisWorkgroupOnly() {
        Policies.assertOnlyPolicy(
                template,
                ref(loader.getRole().getRoleName()),
                List.of(
                        Policies.writesItsLogGroup("LoaderLogs"),
                        Policies.allow(
                                "s3:ListBucket",
                                ref(staging.getBucketArn()),
                                Map.of("StringLike", Map.of("s3:prefix", List.of("staged/*", "manifests/*")))),
                        Policies.allow(
                                "s3:DeleteObject",
                                List.of(
                                        ref(staging.arnForObjects("staged/*")),
                                        ref(staging.arnForObjects("manifests/*")))),
                        Policies.allow("s3:PutObject", ref(staging.arnForObjects("manifests/*"))),
                        Policies.submitsStatementsIn(WORKGROUP_ARN),
                        Policies.ownSessionsOnly(),
                        Policies.ownStatementsOnly(),
                        Policies.allow("redshift-serverless:GetCredentials", WORKGROUP_ARN)));
    }

    @Test
    void grantInvokeLetsAnOperatorStartALoadByHand() {
        Policies.assertOnlyPolicy(
                template,
                ref(operator.getRoleName()),
                List.of(Map.of(
                        "Effect",
                        "Allow",
                        "Action",
                        "lambda:InvokeFunction",
                        "Resource",
                        List.of(
                                ref(loader.getFunction().getFunctionArn()),
                                Map.of(
                                        "Fn::Join",
                                        List.of(
                                                "",
                                                List.of(ref(loader.getFunction().getFunctionArn()), ":*")))))));
    }

    @Test
    void metricsAreTheLoadersOwn() {
        Map<Metric, List<String>> defaults = Map.ofEntries(
                Map.entry(loader.metricRuns(null), List.of("LoaderRuns", "Sum")),
                Map.entry(loader.metricRunsFailed(null), List.of("LoaderRunsFailed", "Sum")),
                Map.entry(loader.metricObjectsLoaded(null), List.of("ObjectsLoaded", "Sum")),
                Map.entry(loader.metricChangesLoaded(null), List.of("ChangesLoaded", "Sum")),
                Map.entry(loader.metricChangesAppended(null), List.of("ChangesAppended", "Sum")),
                Map.entry(loader.metricRowsMerged(null), List.of("RowsMerged", "Sum")),
                Map.entry(loader.metricCommits(null), List.of("LoaderCommits", "Sum")),
                Map.entry(loader.metricStagedObjects(null), List.of("StagedObjects", "Maximum")),
                Map.entry(loader.metricOldestStagedObjectAge(null), List.of("OldestStagedObjectAgeSeconds", "Maximum")),
                Map.entry(loader.metricCommitToMergedLag(null), List.of("CommitToMergedLag", "Maximum")),
                Map.entry(loader.metricRunDuration(null), List.of("LoaderRunDuration", "Maximum")));
        defaults.forEach((metric, nameAndStatistic) -> {
            assertThat(metric.getMetricName()).isEqualTo(nameAndStatistic.get(0));
            assertThat(metric.getStatistic()).isEqualTo(nameAndStatistic.get(1));
            assertThat(metric.getNamespace()).isEqualTo("DsqlCdcPipeline");
            assertThat(metric.getPeriod().toSeconds()).isEqualTo(300);
            assertThat(metric.getDimensions()).isEqualTo(Map.of("Service", "dsql-cdc-loader"));
        });
    }
}
