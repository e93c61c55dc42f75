package com.dsqlcdc.replay;

import com.dsqlcdc.consumer.decode.PoisonReason;
import com.dsqlcdc.consumer.quarantine.S3QuarantineStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.Iterator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code replay quarantine}: re-drives quarantined records once their cause is fixed. */
@Command(
        name = "quarantine",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = ReplayCommand.USAGE,
        description = {
            "Re-drive quarantined records once their cause is fixed (e.g. their table added to sql/catalog.json "
                    + "and tools.jar rebuilt). Records still poison are left in their quarantine object and listed."
        })
final class QuarantineCommand extends SourceCommand {

    @Option(
            names = "--quarantine-bucket",
            required = true,
            paramLabel = "BUCKET",
            order = -30,
            description = "The quarantine bucket (the consumer's QUARANTINE_BUCKET).")
    String bucket;

    @Option(
            names = "--prefix",
            paramLabel = "PREFIX",
            defaultValue = S3QuarantineStore.PREFIX,
            order = -20,
            description = "Replay the objects under this prefix, e.g. quarantine/2026/05/ (default: ${DEFAULT-VALUE}).")
    String prefix;

    @Option(
            names = "--reason",
            paramLabel = "REASON",
            completionCandidates = Reasons.class,
            order = -10,
            description = "Replay only records quarantined for this reason: ${COMPLETION-CANDIDATES}.")
    String reason;

    QuarantineCommand(ReplayCommand.Wiring wiring) {
        super(wiring);
    }

    @Override
    String sourceBucket() {
        return bucket;
    }

    @Override
    String reason() {
        if (reason != null
                && Arrays.stream(PoisonReason.values()).noneMatch(r -> r.label().equals(reason))) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "Invalid value for option '--reason': '" + reason + "' is not a quarantine reason ("
                            + String.join(", ", new Reasons()) + ")");
        }
        return reason;
    }

    @Override
    ReplaySource source(ReplayClients clients, ObjectMapper mapper, ReplayCommand.Wiring wiring) {
        return new QuarantineSource(clients.aws().s3(), mapper, bucket, prefix);
    }

    /** The quarantine reasons, as they appear in quarantine objects and metrics. */
    static final class Reasons implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(PoisonReason.values()).map(PoisonReason::label).iterator();
        }
    }
}
