package com.dsqlcdc.backfill.command;

import com.dsqlcdc.contract.env.BackfillEnvironment;
import com.dsqlcdc.sql.backfill.SourceRoleSql;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code backfill source-role}: prints the SQL of the source's least-privilege role. */
@Command(
        name = "source-role",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = BackfillCommand.USAGE,
        description = {
            "Print the SQL that creates the read-only database role the backfill connects as: LOGIN, USAGE on the"
                    + " captured tables' schemas, SELECT on the captured tables, nothing else, mapped to an IAM role"
                    + " with AWS IAM GRANT. Run it as admin (the header says how), once, and again after adding a"
                    + " table. That IAM role then needs dsql:DbConnect (not DbConnectAdmin) on the cluster."
        })
final class SourceRoleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--iam-role-arn",
            required = true,
            paramLabel = "ARN",
            order = 1,
            description = "The IAM role the backfill runs as: the deployed job's (the stack's output) or the"
                    + " operator's, arn:aws:iam::<account>:role/<name>.")
    String iamRoleArn;

    @Option(
            names = "--role",
            paramLabel = "ROLE",
            order = 2,
            description = "The database role to create (default: ${DEFAULT-VALUE}).")
    String role = BackfillEnvironment.SOURCE_DATABASE_ROLE.defaultValue().orElseThrow();

    @Option(
            names = "--catalog",
            paramLabel = "FILE",
            order = 3,
            description = "The catalog whose tables it may read (default: sql/catalog.json as built into tools.jar).")
    Path catalogFile;

    @Override
    public Integer call() {
        CommandLine commandLine = spec.commandLine();
        String script;
        try {
            script = SourceRoleSql.script(Options.catalog(commandLine, catalogFile), role, iamRoleArn);
        } catch (IllegalArgumentException e) {
            // SourceRoleSql's messages name the option (--role, --iam-role-arn) and what is expected.
            throw new CommandLine.ParameterException(commandLine, "Invalid option: " + e.getMessage());
        }
        commandLine.getOut().print(script);
        commandLine.getOut().flush();
        return BackfillCommand.OK;
    }
}
