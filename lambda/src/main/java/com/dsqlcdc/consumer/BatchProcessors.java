package com.dsqlcdc.consumer;

import com.dsqlcdc.clients.dataapi.DataApiStatements;
import com.dsqlcdc.clients.dataapi.DataApiTarget;
import com.dsqlcdc.consumer.chunk.ChunkAssembler;
import com.dsqlcdc.consumer.chunk.ChunkStore;
import com.dsqlcdc.consumer.decode.ChangeDecoder;
import com.dsqlcdc.consumer.quarantine.QuarantineStore;
import com.dsqlcdc.consumer.write.BulkLoader;
import com.dsqlcdc.consumer.write.CopyFileWriter;
import com.dsqlcdc.consumer.write.InsertStatementBuilder;
import com.dsqlcdc.consumer.write.LoadPlanner;
import com.dsqlcdc.contract.retry.Sleeper;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.fasterxml.jackson.core.JsonFactory;
import java.time.Clock;

/**
 * Builds the batch pipeline from settings and clients: the one place the consumer Lambda and the
 * replay command get their decoding and load code from, so both behave the same.
 */
public final class BatchProcessors implements AutoCloseable {

    private final ConsumerSettings settings;
    private final AwsClients clients;
    private final TableCatalog catalog;
    private final Clock clock;
    private final ChangeDecoder decoder;
    private final InsertStatementBuilder inserts;
    private final CopyFileWriter copyFiles;
    private final DataApiStatements runner;

    /**
     * @param settings where to load, thresholds and limits
     * @param clients  the SDK clients (built once)
     * @param json     the shared JSON factory
     * @param catalog  the captured tables
     * @param clock    time source
     */
    public BatchProcessors(
            ConsumerSettings settings, AwsClients clients, JsonFactory json, TableCatalog catalog, Clock clock) {
        this.settings = settings;
        this.clients = clients;
        this.catalog = catalog;
        this.clock = clock;
        this.decoder = new ChangeDecoder(json, catalog, settings.maxSuperStringBytes());
        this.inserts = new InsertStatementBuilder(json);
        this.copyFiles = new CopyFileWriter(json);
        this.runner = new DataApiStatements(
                clients.dataApi(),
                DataApiTarget.asCaller(settings.workgroup(), settings.database()),
                new DataApiStatements.Settings(
                        settings.maxConcurrentStatements(),
                        settings.statementTimeout(),
                        DataApiStatements.Settings.DEFAULT_LONG_POLL,
                        DataApiStatements.Settings.DEFAULT_POLLS,
                        clock,
                        Sleeper.SYSTEM));
    }

    /**
     * @param quarantine where this processor's poison records go (the S3 quarantine for the
     *                   Lambda; the replay command keeps them where they already are)
     * @return a processor sharing this factory's decoder, statement runner and clients
     */
    public BatchProcessor create(QuarantineStore quarantine) {
        return new BatchProcessor(
                decoder,
                new ChunkAssembler(
                        new ChunkStore(clients.s3(), settings.stagingBucket(), clock), decoder, Json.exactMapper()),
                new LoadPlanner(
                        inserts,
                        copyFiles,
                        new BulkLoader(clients.s3(), settings.stagingBucket(), settings.copyRoleArn(), copyFiles),
                        settings.bulkMinRows(),
                        settings.bulkMinBytes()),
                runner,
                quarantine);
    }

    /** @return the decoder every processor of this factory uses */
    public ChangeDecoder decoder() {
        return decoder;
    }

    /** Stops the shared statement runner's threads (the replay command; the Lambda keeps its processor for life). */
    @Override
    public void close() {
        runner.close();
    }

    /** @return SnapStart priming of the decode and statement-building path */
    ConsumerHandler.Primer primer() {
        return new HotPathPrimer(decoder, inserts, copyFiles, catalog);
    }
}
