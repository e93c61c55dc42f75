package com.dsqlcdc.consumer.write;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.SqlParameter;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;

/**
 * Runs statements through the Redshift Data API, at most {@code maxConcurrent} at a time, and
 * polls each with backoff until Redshift gives its final word. The Data API is asynchronous:
 * ExecuteStatement only queues a statement, and one never polled can fail silently, so a statement
 * counts as landed only when DescribeStatement says FINISHED. Throttling and 5xx answers are
 * retried by the SDK's retry strategy; what is still failing after that is a failed statement.
 */
public final class StatementRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StatementRunner.class);

    private final RedshiftDataClient dataApi;
    private final String workgroup;
    private final String database;
    private final PollSchedule polls;
    private final Duration statementTimeout;
    private final Clock clock;
    private final ExecutorService workers;

    /**
     * @param dataApi          the Data API client (built once)
     * @param workgroup        Redshift Serverless workgroup name
     * @param database         database name
     * @param maxConcurrent    statements in flight at once
     * @param statementTimeout how long one statement may take before it is cancelled and its records failed
     * @param polls            the DescribeStatement schedule
     * @param clock            time source
     */
    public StatementRunner(RedshiftDataClient dataApi, String workgroup, String database, int maxConcurrent,
                           Duration statementTimeout, PollSchedule polls, Clock clock) {
        this.dataApi = dataApi;
        this.workgroup = workgroup;
        this.database = database;
        this.polls = polls;
        this.statementTimeout = statementTimeout;
        this.clock = clock;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(maxConcurrent, r -> {
            Thread t = new Thread(r, "statement-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * @param statements what to run
     * @param deadline   when the invocation must have its answer; statements still running then fail
     * @return one result per statement, in the same order
     */
    public List<StatementResult> run(List<PlannedStatement> statements, Instant deadline) {
        List<Future<StatementResult>> futures = new ArrayList<>(statements.size());
        for (PlannedStatement statement : statements) {
            futures.add(workers.submit(() -> runOne(statement, deadline)));
        }
        List<StatementResult> results = new ArrayList<>(statements.size());
        for (int i = 0; i < futures.size(); i++) {
            try {
                results.add(futures.get(i).get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                results.add(StatementResult.failed(statements.get(i), null, "interrupted", Duration.ZERO));
            } catch (ExecutionException e) {
                // runOne catches what the SDK throws; anything else is a bug and must not be acknowledged.
                results.add(StatementResult.failed(statements.get(i), null, "unexpected: " + e.getCause(), Duration.ZERO));
            }
        }
        return results;
    }

    private StatementResult runOne(PlannedStatement statement, Instant batchDeadline) {
        Instant started = clock.instant();
        Instant deadline = min(started.plus(statementTimeout), batchDeadline);
        String id;
        try {
            ExecuteStatementRequest.Builder request = ExecuteStatementRequest.builder()
                    .workgroupName(workgroup)
                    .database(database)
                    .sql(statement.sql());
            // The API rejects an empty Parameters list (a COPY has none): send the member only with values.
            if (!statement.parameters().isEmpty()) {
                request.parameters(statement.parameters().entrySet().stream()
                        .map(p -> SqlParameter.builder().name(p.getKey()).value(p.getValue()).build())
                        .toList());
            }
            id = dataApi.executeStatement(request.build()).id();
        } catch (SdkException e) {
            return StatementResult.failed(statement, null, "ExecuteStatement failed: " + e.getMessage(), since(started));
        }
        Duration wait = polls.first();
        while (true) {
            if (!sleepUntilNextPoll(wait, deadline)) {
                cancel(id);
                return StatementResult.failed(statement, id, "not finished after " + since(started).toMillis()
                        + " ms; cancelled, its records are retried", since(started));
            }
            DescribeStatementResponse described;
            try {
                described = dataApi.describeStatement(b -> b.id(id));
            } catch (SdkException e) {
                return StatementResult.failed(statement, id, "DescribeStatement failed: " + e.getMessage(), since(started));
            }
            StatusString status = described.status();
            if (status == StatusString.FINISHED) {
                return StatementResult.landed(statement, id, since(started), clock.instant());
            }
            if (status == StatusString.FAILED || status == StatusString.ABORTED) {
                String error = described.error() == null ? "" : ": " + described.error();
                return StatementResult.failed(statement, id, status + error, since(started));
            }
            wait = polls.next(wait);
        }
    }

    /** @return false if the deadline comes before the next poll would */
    private boolean sleepUntilNextPoll(Duration wait, Instant deadline) {
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.isNegative() || left.isZero()) {
            return false;
        }
        try {
            Thread.sleep(Math.max(1, Math.min(wait.toMillis(), left.toMillis())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }

    private void cancel(String id) {
        try {
            dataApi.cancelStatement(b -> b.id(id));
        } catch (SdkException e) {
            // The records are reported failed either way; if the statement still commits later its
            // rows are duplicates, which the views ignore.
            LOG.warn("CancelStatement {} failed: {}", id, e.getMessage());
        }
    }

    private Duration since(Instant started) {
        return Duration.between(started, clock.instant());
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
