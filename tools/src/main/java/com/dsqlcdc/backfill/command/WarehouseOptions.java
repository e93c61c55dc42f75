package com.dsqlcdc.backfill.command;

import com.dsqlcdc.backfill.WarehouseReader;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Where resync and validation read the warehouse's current state: the workgroup, through the Data API. */
final class WarehouseOptions {

    @Option(
            names = "--workgroup",
            required = true,
            paramLabel = "NAME",
            order = 8,
            description = "The Redshift Serverless workgroup holding the state tables (the stack's output).")
    String workgroup;

    @Option(
            names = "--database",
            paramLabel = "NAME",
            order = 9,
            description = "The database of the state tables (default: ${DEFAULT-VALUE}, the config's default).")
    String database = "dev";

    void check(CommandLine commandLine) {
        if (!workgroup.matches("[a-z0-9-]{3,64}")) {
            throw Options.invalid(
                    commandLine, "--workgroup", workgroup + " is not a workgroup name (3-64 of a-z, 0-9, -)");
        }
        if (!database.matches("[a-z_][a-z0-9_$]{0,63}")) {
            throw Options.invalid(commandLine, "--database", database + " is not a database name (a-z, 0-9, _, $)");
        }
    }

    WarehouseReader reader(BackfillClients clients) {
        return clients.warehouse(workgroup, database);
    }
}
