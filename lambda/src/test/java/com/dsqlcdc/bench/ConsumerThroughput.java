package com.dsqlcdc.bench;

import com.dsqlcdc.consumer.AwsClients;
import com.dsqlcdc.consumer.BatchProcessor;
import com.dsqlcdc.consumer.BatchProcessors;
import com.dsqlcdc.consumer.BatchResult;
import com.dsqlcdc.consumer.ConsumerSettings;
import com.dsqlcdc.consumer.InputRecord;
import com.dsqlcdc.consumer.decode.ChangeDecoder;
import com.dsqlcdc.consumer.decode.Decoded;
import com.dsqlcdc.consumer.quarantine.S3QuarantineStore;
import com.dsqlcdc.consumer.stage.StagedFileWriter;
import com.dsqlcdc.consumer.stage.StagedFileWriter.Line;
import com.dsqlcdc.consumer.stage.StagedFileWriter.StagedFile;
import com.dsqlcdc.consumer.stage.StagedRow;
import com.dsqlcdc.contract.env.ConsumerEnvironment;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.dsqlcdc.testing.FakeS3;
import com.dsqlcdc.testing.SigV4Verifier;
import com.fasterxml.jackson.core.JsonFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The consumer's own throughput, measured for real on one thread: the records of the benchmark's
 * workload (about 1 KB each, as DSQL sends an update of {@code orders}) through the consumer's code,
 * 20,000 records a round after a warm-up, the best round counted (the machine is shared).
 *
 * <ul>
 *   <li>decode + stage: {@link ChangeDecoder} (parse, validate against the catalog, key, event id),
 *       then {@link StagedFileWriter} (the staged JSON line, then the batch's gzip object with its
 *       batch id): everything the consumer computes, without the PUT;
 *   <li>the whole {@link BatchProcessor} of the Lambda, batches of 2,000 records, each staged with a
 *       real PUT through the SDK to a local S3 fake (signing, checksums and the local HTTP round
 *       trip included; the fake's own work shares the machine).
 * </ul>
 */
final class ConsumerThroughput {

    /** Bytes of the payload of one record (the benchmark's rows are about 1 KB). */
    static final int RECORD_BYTES = 1_000;

    private ConsumerThroughput() {}

    /**
     * What one thread did.
     *
     * @param decodeAndStage records per second, decode + staged lines + gzip, no PUT
     * @param withPut        records per second, the whole processor with a PUT per 2,000-record batch
     * @param lineBytes      bytes of one staged line (uncompressed, as COPY parses it)
     * @param compression    uncompressed / gzip size of a staged object
     */
    record Figures(double decodeAndStage, double withPut, int lineBytes, double compression) {
        double microsPerRow() {
            return 1e6 / decodeAndStage;
        }
    }

    /** One change record of about {@link #RECORD_BYTES} bytes for {@code orders}, keyed by {@code id}. */
    static String record(int id) {
        return "{\"type\":\"full\",\"op\":\"u\",\"before\":null,\"after\":{\"order_id\":" + id
                + ",\"customer_id\":\"00000476-aaaa-4bbb-8ccc-242784319676\",\"total\":\"57494.63\",\"status\":\"SHIPPED\","
                + "\"placed_at\":1764078958212153,\"ship_date\":20414,\"is_gift\":false,\"notes\":\""
                + "n".repeat(RECORD_BYTES - 230) + "\"},\"source\":{\"version\":\"1.0\",\"ts_ms\":1763700005161,"
                + "\"ts_ns\":" + (1_763_700_005_161_998_890L + id) + ",\"txId\":\"b2glshv3mts7zc6pz2lxxf4gkz\","
                + "\"schema\":\"public\",\"table\":\"orders\",\"db\":\"postgres\",\"cluster\":\"ieqh746yng7by3a4rogubbbayn\"},"
                + "\"ts_ms\":1763700005513,\"ts_ns\":1763700005513149524}";
    }

    static Figures measure() {
        JsonFactory json = new JsonFactory();
        TableCatalog catalog = TableCatalog.load();
        ChangeDecoder decoder = new ChangeDecoder(json, catalog);
        StagedFileWriter files = new StagedFileWriter(json);
        List<List<InputRecord>> batches = new ArrayList<>();
        for (int b = 0; b < 10; b++) {
            List<InputRecord> batch = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                int id = b * 2000 + i;
                batch.add(new InputRecord(
                        "shardId-000000000000",
                        "4959" + String.format("%052d", id),
                        record(id).getBytes(StandardCharsets.UTF_8),
                        Instant.now(),
                        "arn:aws:kinesis:us-east-1:123456789012:stream/cdc"));
            }
            batches.add(batch);
        }
        // Warm up (JIT), then measure the pure computation.
        StagedFile sample = null;
        for (int round = 0; round < 5; round++) {
            for (List<InputRecord> batch : batches) {
                sample = stage(batch, decoder, files);
            }
        }
        // The best of several rounds: the machine is shared, and a slower round measures the others.
        double decodeAndStage = 0;
        for (int round = 0; round < 7; round++) {
            long start = System.nanoTime();
            long records = 0;
            for (List<InputRecord> batch : batches) {
                stage(batch, decoder, files);
                records += batch.size();
            }
            decodeAndStage = Math.max(decodeAndStage, records / ((System.nanoTime() - start) / 1e9));
        }
        double compression = (double) sample.rawBytes() / sample.gzip().length;
        int lineBytes = (int) Math.round((double) sample.rawBytes() / 2000);
        return new Figures(decodeAndStage, withPut(batches, json, catalog), lineBytes, compression);
    }

    private static StagedFile stage(List<InputRecord> batch, ChangeDecoder decoder, StagedFileWriter files) {
        List<Line> lines = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            InputRecord record = batch.get(i);
            Decoded decoded = decoder.decode(record.data());
            if (!(decoded instanceof Decoded.Ok ok)) {
                throw new IllegalStateException("the benchmark's record does not decode: " + decoded);
            }
            lines.add(files.line(new StagedRow(i, ok.change(), record.shardId(), record.sequenceNumber())));
        }
        return files.file(lines);
    }

    /** The Lambda's processor, with its real S3 client against a local fake: records per second. */
    private static double withPut(List<List<InputRecord>> batches, JsonFactory json, TableCatalog catalog) {
        try (FakeS3 s3 = FakeS3.start().createBucket("staging").createBucket("quarantine");
                S3Client client = S3Client.builder()
                        .endpointOverride(s3.endpoint())
                        .forcePathStyle(true)
                        .region(Region.US_EAST_1)
                        .credentialsProvider(SigV4Verifier.credentialsProvider())
                        .httpClient(UrlConnectionHttpClient.create())
                        .build()) {
            ConsumerSettings settings =
                    new ConsumerSettings("quarantine", "staging", "bench", ConsumerEnvironment.SUPER_STRING_BYTES);
            Clock clock = Clock.systemUTC();
            BatchProcessor processor = new BatchProcessors(settings, new AwsClients(client), json, catalog, clock)
                    .create(new S3QuarantineStore(client, "quarantine", json, clock));
            for (List<InputRecord> batch : batches) {
                check(processor.process(batch), batch.size());
            }
            double best = 0;
            for (int round = 0; round < 3; round++) {
                long start = System.nanoTime();
                long records = 0;
                for (List<InputRecord> batch : batches) {
                    check(processor.process(batch), batch.size());
                    records += batch.size();
                }
                best = Math.max(best, records / ((System.nanoTime() - start) / 1e9));
            }
            return best;
        }
    }

    private static void check(BatchResult result, int records) {
        if (result.staged() != records) {
            throw new IllegalStateException("the benchmark's batch was not staged whole: " + result);
        }
    }
}
