package com.dsqlcdc.backfill;

import com.dsqlcdc.consumer.decode.ChangeDecoder;
import com.dsqlcdc.consumer.stage.StagedFileWriter;
import com.dsqlcdc.consumer.stage.Stager;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.fasterxml.jackson.core.JsonFactory;
import java.time.Clock;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * How a range worker is put together around a source reader: snapshot records named after the job
 * ({@code source.txId} {@code <mode>:<job id>}), staged through the consumer's own decoder, file writer
 * and stager into the staging bucket's {@code staged/} under the mode's shard name, so the loader takes
 * them like any consumer batch. One place, for the deployed range step and the tests' test bed.
 */
public final class RangeWorkers {

    private RangeWorkers() {}

    /**
     * @param clusterId      the source cluster ({@code source.cluster} of every record)
     * @param catalog        the catalog (decoding, as the consumer decodes)
     * @param maxStringBytes the warehouse's limit on a string inside SUPER (rows over it are skipped and
     *                       reported, as the consumer quarantines them)
     * @param s3             the S3 client
     * @param bucket         the staging bucket
     * @param warehouse      the warehouse's current state (resync and validation)
     * @param store          where checkpoints go
     * @param clock          time source
     * @param progress       hears about rows read
     * @param flushRows      rows between two checkpoints ({@link RangeWorker#FLUSH_ROWS})
     * @return the factory
     */
    public static JobSteps.WorkerFactory factory(
            String clusterId,
            TableCatalog catalog,
            int maxStringBytes,
            S3Client s3,
            String bucket,
            WarehouseReader warehouse,
            JobStore store,
            Clock clock,
            RangeWorker.Progress progress,
            int flushRows) {
        JsonFactory json = new JsonFactory();
        return (plan, reader) -> {
            String shard = plan.mode() == JobMode.RESYNC ? RangeWorker.RESYNC_SHARD : RangeWorker.BACKFILL_SHARD;
            return new RangeWorker(
                    reader,
                    new SnapshotRecords(JobJson.MAPPER, clusterId, plan.mode().label() + ":" + plan.jobId()),
                    () -> {
                        StagedFileWriter files = new StagedFileWriter(json);
                        return new SnapshotBatch(
                                new ChangeDecoder(json, catalog, maxStringBytes),
                                files,
                                new Stager(s3, bucket, files),
                                shard);
                    },
                    warehouse,
                    store,
                    clock,
                    progress,
                    flushRows);
        };
    }
}
