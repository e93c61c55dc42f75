package com.dsqlcdc.consumer;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.dsqlcdc.consumer.observe.EmfMetricsPublisher;
import com.dsqlcdc.consumer.observe.MetricsPublisher;
import com.dsqlcdc.consumer.quarantine.S3QuarantineStore;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.fasterxml.jackson.core.JsonFactory;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

/**
 * The consumer Lambda's entry point, behind a Kinesis event source mapping with
 * {@code ReportBatchItemFailures}: it hands the batch to {@link BatchProcessor} and answers with
 * the first record that is not done (staged, quarantined or parked), so Lambda re-delivers from
 * there and nothing is acknowledged that is not durable. Clients, catalog and JSON factory are built
 * once, at init (and so are in the SnapStart snapshot); {@link #beforeCheckpoint} primes the decode
 * and staging path.
 */
public final class ConsumerHandler implements RequestHandler<KinesisEvent, StreamsEventResponse>, Resource {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerHandler.class);

    private final BatchProcessor processor;
    private final MetricsPublisher metrics;
    private final Primer primer;

    /** Production wiring: settings from the environment, real SDK clients. */
    public ConsumerHandler() {
        this(Wiring.fromEnvironment());
        Core.getGlobalContext().register(this);
    }

    private ConsumerHandler(Wiring wiring) {
        this(wiring.processor, wiring.metrics, wiring.primer);
    }

    /**
     * @param processor the batch logic
     * @param metrics   where the batch's figures go
     * @param primer    what {@link #beforeCheckpoint} runs
     */
    public ConsumerHandler(BatchProcessor processor, MetricsPublisher metrics, Primer primer) {
        this.processor = processor;
        this.metrics = metrics;
        this.primer = primer;
    }

    @Override
    public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> handle(event));
    }

    private StreamsEventResponse handle(KinesisEvent event) {
        BatchResult result = processor.process(toRecords(event));
        metrics.publish(result);
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        result.resumeFrom().ifPresent(seq -> failures.add(new StreamsEventResponse.BatchItemFailure(seq)));
        LOG.info(
                "batch done",
                entry("records", result.recordsIn()),
                entry("staged", result.staged()),
                entry("quarantined", result.quarantinedTotal()),
                entry("parked", result.parked()),
                entry("object", result.object().map(o -> o.key()).orElse("")),
                entry("resumeFrom", result.resumeFrom().orElse("")));
        return new StreamsEventResponse(failures);
    }

    static List<InputRecord> toRecords(KinesisEvent event) {
        List<InputRecord> records = new ArrayList<>(event.getRecords().size());
        for (KinesisEvent.KinesisEventRecord r : event.getRecords()) {
            ByteBuffer buffer = r.getKinesis().getData().duplicate();
            byte[] data = new byte[buffer.remaining()];
            buffer.get(data);
            String eventId = r.getEventID();
            String shard = eventId != null && eventId.contains(":")
                    ? eventId.substring(0, eventId.indexOf(':'))
                    : "unknown-shard";
            Instant arrival = r.getKinesis().getApproximateArrivalTimestamp() == null
                    ? null
                    : r.getKinesis().getApproximateArrivalTimestamp().toInstant();
            records.add(
                    new InputRecord(shard, r.getKinesis().getSequenceNumber(), data, arrival, r.getEventSourceARN()));
        }
        return records;
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        primer.prime();
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing per-environment was created before the snapshot: clients resolve credentials lazily.
    }

    /** Runs the hot path once before SnapStart takes its snapshot. */
    @FunctionalInterface
    public interface Primer {
        void prime();
    }

    /** The production object graph. */
    private record Wiring(BatchProcessor processor, MetricsPublisher metrics, Primer primer) {
        static Wiring fromEnvironment() {
            ConsumerSettings settings = ConsumerSettings.from(System.getenv());
            JsonFactory json = new JsonFactory();
            TableCatalog catalog = TableCatalog.load();
            AwsClients clients = AwsClients.create();
            Clock clock = Clock.systemUTC();
            BatchProcessors processors = new BatchProcessors(settings, clients, json, catalog, clock);
            BatchProcessor processor =
                    processors.create(new S3QuarantineStore(clients.s3(), settings.quarantineBucket(), json, clock));
            MetricsPublisher metrics =
                    new EmfMetricsPublisher(MetricsFactory.getMetricsInstance(), settings.metricsNamespace());
            return new Wiring(processor, metrics, processors.primer());
        }
    }
}
