package com.dsqlcdc.infra.delivery;

import static com.dsqlcdc.infra.TestSupport.map;

import java.util.List;
import java.util.Map;

/** Raw context of a delivery pipeline in a tools account deploying two environments in two other accounts. */
public final class DeliveryFixtures {

    public static final String PIPELINE_ACCOUNT = "333333333333";
    public static final String DEV_ACCOUNT = "111111111111";
    public static final String PROD_ACCOUNT = "222222222222";
    public static final String REGION = "eu-west-1";
    public static final String CONNECTION_ARN =
            "arn:aws:codeconnections:eu-west-1:333333333333:connection/0f8e6a3c-1b2d-4e5f-9a8b-7c6d5e4f3a2b";
    public static final String REPOSITORY = "example-org/dsql-cdc-pipeline";
    public static final String BRANCH = "release";

    private DeliveryFixtures() {}

    /** @return dev and prod, each with a fixed target in its own account; plus an environment-agnostic one */
    public static Map<String, Object> environments() {
        return map(
                "dev",
                        map(
                                "account",
                                DEV_ACCOUNT,
                                "region",
                                REGION,
                                "cluster",
                                map("mode", "create", "deletionProtection", false),
                                "retainData",
                                false),
                "prod", map("account", PROD_ACCOUNT, "region", REGION, "cluster", map("mode", "create")),
                "sandbox", map("cluster", map("mode", "create")));
    }

    /** @return the pipeline: dev, then prod behind a manual approval */
    public static Map<String, Object> delivery() {
        return map(
                "account",
                PIPELINE_ACCOUNT,
                "region",
                REGION,
                "source",
                map("connectionArn", CONNECTION_ARN, "repository", REPOSITORY, "branch", BRANCH),
                "stages",
                List.of(map("environment", "dev"), map("environment", "prod", "manualApproval", true)));
    }
}
