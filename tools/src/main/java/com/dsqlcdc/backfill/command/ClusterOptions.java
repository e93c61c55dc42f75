package com.dsqlcdc.backfill.command;

import com.dsqlcdc.contract.env.BackfillEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import software.amazon.awssdk.regions.Region;

/** The source cluster every command that reads it names: its identifier and its Region. */
final class ClusterOptions {

    @Option(
            names = "--cluster-id",
            required = true,
            paramLabel = "ID",
            order = 1,
            description = "The Aurora DSQL cluster (26 characters a-z0-9; endpoint <id>.dsql.<region>.on.aws).")
    String clusterId;

    @Option(
            names = "--region",
            paramLabel = "REGION",
            order = 2,
            description = "The cluster's Region (default: the SDK's chain, AWS_REGION or the profile's).")
    String region;

    /**
     * @return the Region named, or null for the SDK's default chain
     * @throws CommandLine.ParameterException naming the option that is wrong
     */
    Region check(CommandLine commandLine) {
        Options.check(commandLine, "--cluster-id", BackfillEnvironment.CLUSTER_IDENTIFIER, clusterId);
        return Options.region(commandLine, region);
    }
}
