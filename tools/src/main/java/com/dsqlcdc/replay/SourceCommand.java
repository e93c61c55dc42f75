package com.dsqlcdc.replay;

import com.dsqlcdc.consumer.BatchProcessors;
import com.dsqlcdc.consumer.ConsumerSettings;
import com.dsqlcdc.consumer.Json;
import com.dsqlcdc.consumer.stage.StagedFileWriter;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What both subcommands do once they know their source: build the Lambda's batch pipeline from
 * the options (with a quarantine that leaves still-poison records where they are), replay every
 * object, print the summary, and answer the exit code.
 */
abstract class SourceCommand implements Callable<Integer> {

    @Mixin
    ReplayOptions options;

    @Spec
    CommandSpec spec;

    private final ReplayCommand.Wiring wiring;

    SourceCommand(ReplayCommand.Wiring wiring) {
        this.wiring = wiring;
    }

    /** @return the bucket the records are read from */
    abstract String sourceBucket();

    /** @return only records quarantined for this reason, or null for all */
    abstract String reason();

    abstract ReplaySource source(ReplayClients clients, ObjectMapper mapper, ReplayCommand.Wiring wiring);

    @Override
    public Integer call() {
        ConsumerSettings settings = options.settings(spec.commandLine(), sourceBucket());
        String reason = reason();
        JsonFactory json = new JsonFactory();
        try (ReplayClients clients = wiring.clients().get()) {
            BatchProcessors processors =
                    new BatchProcessors(settings, clients.aws(), json, TableCatalog.load(), wiring.clock());
            SliceLoader loader;
            if (options.dryRun) {
                loader = new DryRunSliceLoader(processors.decoder(), new StagedFileWriter(json));
            } else {
                CollectingQuarantine left = new CollectingQuarantine();
                loader = new BatchSliceLoader(processors.create(left), left, wiring.retry(), wiring.clock());
            }
            ReplayReport report = new ReplayReport(spec.commandLine().getErr(), options.dryRun);
            new Replayer(
                            source(clients, Json.exactMapper(), wiring),
                            loader,
                            new LedgerStore(clients.aws().s3()),
                            report,
                            wiring.clock(),
                            options.retryLeft,
                            reason,
                            options.dryRun)
                    .run();
            report.summary(spec.commandLine().getOut());
            return report.exitCode();
        }
    }
}
