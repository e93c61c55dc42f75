package com.dsqlcdc.loader;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.dsqlcdc.clients.SdkClients;
import com.dsqlcdc.clients.dataapi.DataApiStatements;
import com.dsqlcdc.clients.dataapi.DataApiTarget;
import com.dsqlcdc.contract.env.LoaderEnvironment;
import com.dsqlcdc.contract.retry.Sleeper;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.dsqlcdc.sql.current.StateTable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

/**
 * The loader Lambda's entry point, started by its schedule once per load interval (with reserved
 * concurrency 1, so it is the warehouse's only writer). It loads everything staged
 * ({@link Loader}); when the interval is shorter than the schedule's minute, the one invocation a
 * minute loads once per interval for that minute. The event is ignored: starting it by hand
 * ({@code aws lambda invoke}) loads too. A failed run fails the invocation, after its figures are
 * published: its objects stay staged and the next run loads them.
 */
public final class LoaderHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private static final Logger LOG = LoggerFactory.getLogger(LoaderHandler.class);
    /** Kept back from the invocation's time: no run starts later than this before the end. */
    static final Duration RUN_BUDGET = Duration.ofMinutes(4);
    /** Kept back from the invocation's time for the last statements' cancellation and the metrics. */
    static final Duration SAFETY_MARGIN = Duration.ofSeconds(20);
    /** Attempts per Data API call (throttling and 5xx are retried with the SDK's jittered backoff). */
    static final int DATA_API_ATTEMPTS = 8;

    private final Loader loader;
    private final LoaderMetrics metrics;
    private final Duration interval;
    private final Sleeper sleeper;
    private final Clock clock;

    /** Production wiring: settings from the environment, real SDK clients, the catalog on the classpath. */
    public LoaderHandler() {
        this(Wiring.fromEnvironment());
    }

    private LoaderHandler(Wiring wiring) {
        this(wiring.loader, wiring.metrics, wiring.interval, Sleeper.SYSTEM, Clock.systemUTC());
    }

    /**
     * @param loader   what one drain of the staged objects does
     * @param metrics  where the figures go
     * @param interval the load interval
     * @param sleeper  how to wait between loads within a minute (intervals below a minute)
     * @param clock    time source
     */
    public LoaderHandler(Loader loader, LoaderMetrics metrics, Duration interval, Sleeper sleeper, Clock clock) {
        this.loader = loader;
        this.metrics = metrics;
        this.interval = interval;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> handle(context));
    }

    private Map<String, Object> handle(Context context) {
        Instant start = clock.instant();
        Instant deadline = start.plusMillis(context.getRemainingTimeInMillis()).minus(SAFETY_MARGIN);
        // Below a minute, this invocation is the minute's: it loads at start, start + interval, ...
        Instant windowEnd = interval.getSeconds() < LoaderEnvironment.MINUTE_SECONDS
                ? start.plusSeconds(LoaderEnvironment.MINUTE_SECONDS)
                : start;
        List<Loader.Report> reports = new ArrayList<>();
        Instant next = start;
        do {
            waitUntil(next);
            Loader.Report report = loader.drain(deadline);
            metrics.publish(report);
            reports.add(report);
            LOG.info(
                    "loaded",
                    entry("runs", report.runs().size()),
                    entry("stagedBefore", report.stagedBefore()),
                    entry(
                            "oldestSeconds",
                            report.oldestBefore().map(Duration::toSeconds).orElse(0L)),
                    entry("stagedAfter", report.stagedAfter()),
                    entry("failure", report.failure().orElse("")));
            if (report.failure().isPresent()) {
                throw new LoadFailedException(report.failure().get());
            }
            next = next.plus(interval);
        } while (next.isBefore(windowEnd) && next.plus(RUN_BUDGET).isBefore(deadline));
        return summary(reports);
    }

    private void waitUntil(Instant next) {
        Duration wait = Duration.between(clock.instant(), next);
        if (!wait.isNegative() && !wait.isZero()) {
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted between two loads", e);
            }
        }
    }

    private static Map<String, Object> summary(List<Loader.Report> reports) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("loads", reports.size());
        summary.put("runs", reports.stream().mapToInt(r -> r.runs().size()).sum());
        summary.put(
                "objectsLoaded",
                reports.stream()
                        .flatMap(r -> r.runs().stream())
                        .mapToInt(LoadRun.Result::objects)
                        .sum());
        summary.put(
                "changesLoaded",
                reports.stream()
                        .flatMap(r -> r.runs().stream())
                        .mapToLong(LoadRun.Result::totalChanges)
                        .sum());
        summary.put("stagedAfter", reports.get(reports.size() - 1).stagedAfter());
        return summary;
    }

    /** A run failed: the invocation fails (its objects stay staged for the next run). */
    static final class LoadFailedException extends RuntimeException {
        LoadFailedException(String failure) {
            super("a load run failed; its staged objects stay staged and the next run loads them: " + failure);
        }
    }

    /** The production object graph. */
    private record Wiring(Loader loader, LoaderMetrics metrics, Duration interval) {
        static Wiring fromEnvironment() {
            LoaderSettings settings = LoaderSettings.from(System.getenv());
            Clock clock = Clock.systemUTC();
            SdkHttpClient http = SdkClients.httpClient();
            DataApiStatements statements = new DataApiStatements(
                    SdkClients.dataApi(http, DATA_API_ATTEMPTS),
                    DataApiTarget.asCaller(settings.workgroup(), settings.database()),
                    DataApiStatements.Settings.defaults().statementTimeout(settings.statementTimeout()));
            Map<String, StateTable> tables = new LinkedHashMap<>();
            TableCatalog.load().tables().forEach(t -> tables.put(t.qualifiedName(), new StateTable(t)));
            StagingStore staging = new S3StagingStore(SdkClients.s3(http), settings.stagingBucket());
            LoadRun run = new LoadRun(
                    tables,
                    staging,
                    new DataApiWarehouse(statements),
                    settings.copyRoleArn(),
                    settings.pruning(),
                    clock);
            Loader loader = new Loader(
                    staging,
                    run,
                    new Loader.Limits(settings.maxObjectsPerRun(), settings.maxBytesPerRun(), RUN_BUDGET),
                    clock);
            return new Wiring(
                    loader,
                    new LoaderMetrics(MetricsFactory.getMetricsInstance(), settings.metricsNamespace()),
                    settings.loadInterval());
        }
    }
}
