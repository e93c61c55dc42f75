package com.dsqlcdc.infra.config;

import java.util.Objects;

/**
 * A fixed AWS account and Region for an environment. Environments without one are
 * environment-agnostic: the CLI's credentials decide where they deploy.
 *
 * @param account 12-digit account id
 * @param region  Region code, e.g. {@code eu-west-1}
 */
public record DeploymentTarget(String account, String region) {

    public DeploymentTarget {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(region, "region");
    }
}
