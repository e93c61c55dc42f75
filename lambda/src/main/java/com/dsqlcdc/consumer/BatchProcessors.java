package com.dsqlcdc.consumer;

import com.dsqlcdc.consumer.chunk.ChunkAssembler;
import com.dsqlcdc.consumer.chunk.ChunkStore;
import com.dsqlcdc.consumer.decode.ChangeDecoder;
import com.dsqlcdc.consumer.quarantine.QuarantineStore;
import com.dsqlcdc.consumer.stage.StagedFileWriter;
import com.dsqlcdc.consumer.stage.Stager;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.fasterxml.jackson.core.JsonFactory;
import java.time.Clock;

/**
 * Builds the batch pipeline from settings and clients: the one place the consumer Lambda and the
 * replay command get their decoding and staging code from, so both behave the same.
 */
public final class BatchProcessors {

    private final ConsumerSettings settings;
    private final AwsClients clients;
    private final TableCatalog catalog;
    private final Clock clock;
    private final ChangeDecoder decoder;
    private final StagedFileWriter files;

    /**
     * @param settings where to stage and quarantine, and the warehouse's string limit
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
        this.files = new StagedFileWriter(json);
    }

    /**
     * @param quarantine where this processor's poison records go (the S3 quarantine for the
     *                   Lambda; the replay command keeps them where they already are)
     * @return a processor sharing this factory's decoder and clients
     */
    public BatchProcessor create(QuarantineStore quarantine) {
        return new BatchProcessor(
                decoder,
                new ChunkAssembler(
                        new ChunkStore(clients.s3(), settings.stagingBucket(), clock), decoder, Json.exactMapper()),
                files,
                new Stager(clients.s3(), settings.stagingBucket(), files),
                quarantine,
                clock);
    }

    /** @return the decoder every processor of this factory uses */
    public ChangeDecoder decoder() {
        return decoder;
    }

    /** @return SnapStart priming of the decode and staging path */
    ConsumerHandler.Primer primer() {
        return new HotPathPrimer(decoder, files, catalog);
    }
}
