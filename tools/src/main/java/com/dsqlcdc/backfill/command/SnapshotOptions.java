package com.dsqlcdc.backfill.command;

import com.dsqlcdc.backfill.SnapshotBatch;
import com.dsqlcdc.backfill.StreamGate;
import com.dsqlcdc.consumer.decode.ChangeDecoder;
import com.dsqlcdc.consumer.stage.StagedFileWriter;
import com.dsqlcdc.consumer.stage.Stager;
import com.dsqlcdc.contract.env.BackfillEnvironment;
import com.dsqlcdc.contract.env.ConsumerEnvironment;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.fasterxml.jackson.core.JsonFactory;
import java.time.Instant;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The options of the two commands that stage rows (backfill, resync): the CDC stream they check
 * first and the consumer's staging settings, under which the loader loads them like any other change.
 */
final class SnapshotOptions {

    @Option(
            names = "--stream-id",
            required = true,
            paramLabel = "ID",
            order = 5,
            description = "The cluster's CDC stream (the stack's output): the job starts only while it is ACTIVE.")
    String streamId;

    @Option(
            names = "--staging-bucket",
            required = true,
            paramLabel = "BUCKET",
            order = 6,
            description = "The staging bucket (the consumer's STAGING_BUCKET): rows are staged there for the loader.")
    String stagingBucket;

    @Option(
            names = "--max-super-string-bytes",
            paramLabel = "BYTES",
            order = 7,
            description = "Longest string SUPER holds: " + ConsumerEnvironment.LARGE_SUPER_STRING_BYTES
                    + " if the warehouse opted in to large strings (the consumer's MAX_SUPER_STRING_BYTES; default "
                    + ConsumerEnvironment.SUPER_STRING_BYTES + ").")
    int maxSuperStringBytes = ConsumerEnvironment.SUPER_STRING_BYTES;

    void check(CommandLine commandLine) {
        Options.check(commandLine, "--stream-id", BackfillEnvironment.STREAM_IDENTIFIER, streamId);
        if (!stagingBucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw Options.invalid(
                    commandLine,
                    "--staging-bucket",
                    stagingBucket + " is not a bucket name (3-63 of a-z, 0-9, . and -)");
        }
        Options.check(
                commandLine,
                "--max-super-string-bytes",
                ConsumerEnvironment.MAX_SUPER_STRING_BYTES,
                maxSuperStringBytes);
    }

    /**
     * @return when the stream was created
     * @throws StreamGate.StreamNotActiveException when it is not ACTIVE
     */
    Instant activeSince(BackfillClients clients, String clusterId) {
        return new StreamGate(clients.streams()).activeSince(clusterId, streamId);
    }

    /**
     * @return new batches staging through the consumer's decoder, writer and stager, one per range
     *         worker call (the consumer's classes are not shared between threads)
     */
    Supplier<SnapshotBatch> batches(S3Client s3, TableCatalog catalog, String shard) {
        JsonFactory json = new JsonFactory();
        return () -> {
            StagedFileWriter files = new StagedFileWriter(json);
            return new SnapshotBatch(
                    new ChangeDecoder(json, catalog, maxSuperStringBytes),
                    files,
                    new Stager(s3, stagingBucket, files),
                    shard);
        };
    }
}
