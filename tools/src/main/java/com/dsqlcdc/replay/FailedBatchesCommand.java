package com.dsqlcdc.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code replay failed-batches}: re-drives the batches the event source mapping gave up on. */
@Command(
        name = "failed-batches",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = ReplayCommand.USAGE,
        description = {
            "Re-drive the batches the Kinesis event source mapping sent to its S3 on-failure destination. "
                    + "A batch whose stored payload lacks records (e.g. one too large for an invocation) is read back "
                    + "from its shard while it is within the stream's retention."
        })
final class FailedBatchesCommand extends SourceCommand {

    @Option(
            names = "--failed-batch-bucket",
            required = true,
            paramLabel = "BUCKET",
            order = -20,
            description = "The on-failure destination bucket.")
    String bucket;

    @Option(
            names = "--prefix",
            paramLabel = "PREFIX",
            defaultValue = "aws/lambda/",
            order = -10,
            description = "Replay the objects under this prefix (default: ${DEFAULT-VALUE}, where Lambda writes them).")
    String prefix;

    FailedBatchesCommand(ReplayCommand.Wiring wiring) {
        super(wiring);
    }

    @Override
    String sourceBucket() {
        return bucket;
    }

    @Override
    String reason() {
        return null;
    }

    @Override
    ReplaySource source(ReplayClients clients, ObjectMapper mapper, ReplayCommand.Wiring wiring) {
        return new FailedBatchSource(
                clients.aws().s3(),
                mapper,
                new KinesisRangeReader(clients.kinesis(), wiring.retry().sleeper(), wiring.kinesisPagePause()),
                bucket,
                prefix);
    }
}
