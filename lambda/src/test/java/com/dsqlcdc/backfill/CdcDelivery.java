package com.dsqlcdc.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.dsqlcdc.consumer.BatchProcessor;
import com.dsqlcdc.consumer.ConsumerHandler;
import com.dsqlcdc.consumer.Json;
import com.dsqlcdc.consumer.chunk.ChunkAssembler;
import com.dsqlcdc.consumer.chunk.ChunkStore;
import com.dsqlcdc.consumer.decode.ChangeDecoder;
import com.dsqlcdc.consumer.quarantine.S3QuarantineStore;
import com.dsqlcdc.consumer.stage.StagedFileWriter;
import com.dsqlcdc.consumer.stage.Stager;
import com.dsqlcdc.consumer.testing.TestContext;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.dsqlcdc.testing.KinesisEvents;
import com.dsqlcdc.testing.KinesisEvents.Item;
import com.fasterxml.jackson.core.JsonFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The CDC stream's side, as the pipeline sees it: records delivered at least once and unordered
 * (duplicated, shuffled, spread over shards, cut into random batches) to the real consumer handler,
 * wired like production with the test's catalog, whose staged objects the loader then loads.
 */
final class CdcDelivery {

    static final String QUARANTINE_BUCKET = "dsql-cdc-quarantine";

    private final ConsumerHandler handler;
    private final AtomicLong sequence = new AtomicLong();

    CdcDelivery(Testbed testbed, TableCatalog catalog) {
        if (!testbed.s3.hasBucket(QUARANTINE_BUCKET)) {
            testbed.s3.createBucket(QUARANTINE_BUCKET);
        }
        JsonFactory json = new JsonFactory();
        Clock clock = Clock.systemUTC();
        ChangeDecoder decoder = testbed.decoder(catalog);
        StagedFileWriter files = new StagedFileWriter(json);
        BatchProcessor processor = new BatchProcessor(
                decoder,
                new ChunkAssembler(
                        new ChunkStore(testbed.s3Client, Testbed.STAGING_BUCKET, clock), decoder, Json.exactMapper()),
                files,
                new Stager(testbed.s3Client, Testbed.STAGING_BUCKET, files),
                new S3QuarantineStore(testbed.s3Client, QUARANTINE_BUCKET, json, clock),
                clock);
        this.handler = new ConsumerHandler(processor, result -> {}, () -> {});
    }

    /** Delivers {@code records} with duplicates, in random order, over 1-3 shards, in batches of 1-20. */
    void deliver(List<String> records, Random random) {
        List<String> delivered = new ArrayList<>();
        for (String record : records) {
            delivered.add(record);
            while (random.nextDouble() < 0.25) {
                delivered.add(record);
            }
        }
        Collections.shuffle(delivered, random);
        int shards = 1 + random.nextInt(3);
        List<List<Item>> byShard = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            byShard.add(new ArrayList<>());
        }
        for (String record : delivered) {
            int s = random.nextInt(shards);
            byShard.get(s).add(Item.of(String.format("shardId-%012d", s), sequence.incrementAndGet(), record));
        }
        for (List<Item> shard : byShard) {
            int at = 0;
            while (at < shard.size()) {
                List<Item> batch = shard.subList(at, Math.min(shard.size(), at + 1 + random.nextInt(20)));
                StreamsEventResponse response = handler.handleRequest(KinesisEvents.event(batch), new TestContext());
                assertThat(response.getBatchItemFailures())
                        .as("a batch the consumer did not stage")
                        .isEmpty();
                at += batch.size();
            }
        }
    }
}
