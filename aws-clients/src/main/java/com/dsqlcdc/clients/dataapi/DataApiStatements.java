package com.dsqlcdc.clients.dataapi;

import com.dsqlcdc.clients.dataapi.StatementOutcome.Status;
import com.dsqlcdc.contract.retry.Backoff;
import com.dsqlcdc.contract.retry.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.ActiveWaitingRequestsExceededException;
import software.amazon.awssdk.services.redshiftdata.model.BatchExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.Field;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultResponse;
import software.amazon.awssdk.services.redshiftdata.model.SqlParameter;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;

/**
 * Runs statements through the Redshift Data API and waits for Redshift's final word on each. The
 * Data API is asynchronous: ExecuteStatement only queues a statement, and one never asked about can
 * fail silently, so a statement counts as done only when DescribeStatement says FINISHED.
 *
 * <ul>
 *   <li>Every submission carries its own client token: the SDK's retries of it (throttling, 5xx,
 *       I/O, by the client's retry strategy) reuse the token, so a retry after a lost answer returns
 *       the same statement instead of running the SQL twice.
 *   <li>Waiting: DescribeStatement with {@code WaitTimeSeconds} (long polling: it answers as soon as
 *       the statement ends, at most {@link Settings#longPoll} later), while at least a second is left
 *       before the deadline; otherwise, and if the service refuses another waiting request, polls
 *       after the {@link Settings#polls} backoff.
 *   <li>FAILED and ABORTED come back with Redshift's error text. A statement still running at its
 *       deadline (the caller's, or {@link Settings#statementTimeout} after submission, whichever is
 *       first), one whose DescribeStatement keeps failing, and one whose waiting thread is
 *       interrupted are cancelled (CancelStatement) and reported as such.
 *   <li>{@link #runAll} runs at most {@link Settings#maxConcurrent} statements at once.
 *   <li>{@link #records} reads a FINISHED query's rows through GetStatementResult's pages.
 * </ul>
 *
 * Nothing here throws for a statement that failed: every outcome is a {@link StatementOutcome}, and
 * the caller decides what a failure means (a deploy error, records to retry).
 */
public final class DataApiStatements implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DataApiStatements.class);

    /**
     * How statements are waited for.
     *
     * @param maxConcurrent    statements in flight at once in {@link #runAll}
     * @param statementTimeout the longest one statement may run, or null for none but the deadline
     * @param longPoll         the longest DescribeStatement long poll (1-30 s; zero turns it off)
     * @param polls            the waits between polls when not long polling
     * @param clock            time source
     * @param sleeper          how to wait between polls
     */
    public record Settings(
            int maxConcurrent,
            Duration statementTimeout,
            Duration longPoll,
            Backoff polls,
            Clock clock,
            Sleeper sleeper) {

        /** 20 ms, ×1.5, at most 1 s: most statements end within a few hundred ms; a wasted interval is latency. */
        public static final Backoff DEFAULT_POLLS =
                new Backoff(Duration.ofMillis(20), 1.5, Duration.ofSeconds(1), Backoff.Jitter.NONE);
        /** Well inside the SDK's 30 s socket timeout and the service's 30 s maximum. */
        public static final Duration DEFAULT_LONG_POLL = Duration.ofSeconds(20);

        public Settings {
            if (maxConcurrent < 1) {
                throw new IllegalArgumentException("maxConcurrent must be at least 1, got " + maxConcurrent);
            }
            if (longPoll.isNegative() || longPoll.compareTo(Duration.ofSeconds(30)) > 0) {
                throw new IllegalArgumentException("longPoll must be 0-30 s, got " + longPoll);
            }
            Objects.requireNonNull(polls, "polls");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(sleeper, "sleeper");
        }

        /** @return one statement at a time, no timeout but the deadline, the default waits */
        public static Settings defaults() {
            return new Settings(1, null, DEFAULT_LONG_POLL, DEFAULT_POLLS, Clock.systemUTC(), Sleeper.SYSTEM);
        }

        /** @return these settings with {@code n} statements in flight at once */
        public Settings maxConcurrent(int n) {
            return new Settings(n, statementTimeout, longPoll, polls, clock, sleeper);
        }

        /** @return these settings with each statement cancelled after {@code timeout} */
        public Settings statementTimeout(Duration timeout) {
            return new Settings(maxConcurrent, timeout, longPoll, polls, clock, sleeper);
        }

        /** @return these settings with these poll waits (and long polls of at most {@code longPoll}) */
        public Settings polls(Backoff backoff, Duration longPollMax) {
            return new Settings(maxConcurrent, statementTimeout, longPollMax, backoff, clock, sleeper);
        }
    }

    private final RedshiftDataClient client;
    private final DataApiTarget target;
    private final Settings settings;
    private ExecutorService workers;

    /**
     * @param client   the Data API client (built once, with the retry strategy wanted)
     * @param target   where and as whom every statement runs
     * @param settings how statements are waited for
     */
    public DataApiStatements(RedshiftDataClient client, DataApiTarget target, Settings settings) {
        this.client = Objects.requireNonNull(client, "client");
        this.target = Objects.requireNonNull(target, "target");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** @return where the statements run */
    public DataApiTarget target() {
        return target;
    }

    /**
     * Runs one statement on this thread and waits for its final word.
     *
     * @param statement what to run
     * @param deadline  no statement may still be running after it
     * @return what became of it
     */
    public StatementOutcome run(Statement statement, Instant deadline) {
        Instant started = settings.clock().instant();
        if (!started.isBefore(deadline)) {
            return outcome(
                    statement,
                    null,
                    Status.NOT_STARTED,
                    "out of time before it could start",
                    null,
                    null,
                    -1,
                    started,
                    null);
        }
        Instant due = settings.statementTimeout() == null
                ? deadline
                : min(started.plus(settings.statementTimeout()), deadline);
        String id;
        try {
            id = submit(statement);
        } catch (SdkException e) {
            return outcome(statement, null, Status.NOT_SUBMITTED, e.getMessage(), e, null, -1, started, null);
        }
        LOG.debug("statement {} submitted", id);
        boolean longPoll = !settings.longPoll().isZero();
        String lastStatus = "SUBMITTED";
        for (int poll = 1; ; poll++) {
            Duration left = Duration.between(settings.clock().instant(), due);
            int waitSeconds = (int) Math.min(settings.longPoll().toSeconds(), Math.max(0, left.toSeconds()));
            DescribeStatementResponse described;
            try {
                if (longPoll && waitSeconds >= 1) {
                    described = client.describeStatement(r -> r.id(id).waitTimeSeconds(waitSeconds));
                } else {
                    if (left.isNegative() || left.isZero()) {
                        return outcome(
                                statement, id, Status.TIMED_OUT, lastStatus, null, cancel(id), -1, started, null);
                    }
                    Duration wait = settings.polls().delay(poll);
                    settings.sleeper().sleep(wait.compareTo(left) < 0 ? wait : left);
                    described = client.describeStatement(r -> r.id(id));
                }
            } catch (ActiveWaitingRequestsExceededException e) {
                // Another request already waits on this statement: ask without waiting from now on.
                longPoll = false;
                continue;
            } catch (SdkException e) {
                return outcome(statement, id, Status.POLL_FAILED, e.getMessage(), e, cancel(id), -1, started, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return outcome(
                        statement,
                        id,
                        Status.INTERRUPTED,
                        "interrupted while waiting",
                        null,
                        cancel(id),
                        -1,
                        started,
                        null);
            }
            StatusString status = described.status();
            lastStatus = described.statusAsString();
            if (status == StatusString.FINISHED) {
                long rows = described.resultRows() == null ? -1 : described.resultRows();
                return outcome(
                        statement,
                        id,
                        Status.FINISHED,
                        null,
                        null,
                        null,
                        rows,
                        started,
                        settings.clock().instant());
            }
            if (status == StatusString.FAILED || status == StatusString.ABORTED) {
                String error = described.error() == null || described.error().isBlank()
                        ? null
                        : described.error().strip();
                return outcome(
                        statement,
                        id,
                        status == StatusString.FAILED ? Status.FAILED : Status.ABORTED,
                        error,
                        null,
                        null,
                        -1,
                        started,
                        null);
            }
            if (!settings.clock().instant().isBefore(due)) {
                return outcome(statement, id, Status.TIMED_OUT, lastStatus, null, cancel(id), -1, started, null);
            }
        }
    }

    /**
     * Runs the statements, at most {@link Settings#maxConcurrent} at once, and waits for every one.
     *
     * @param statements what to run
     * @param deadline   no statement may still be running after it
     * @return one outcome per statement, in the same order
     */
    public List<StatementOutcome> runAll(List<Statement> statements, Instant deadline) {
        ExecutorService pool = workers();
        List<Future<StatementOutcome>> futures = new ArrayList<>(statements.size());
        for (Statement statement : statements) {
            futures.add(pool.submit(() -> run(statement, deadline)));
        }
        List<StatementOutcome> outcomes = new ArrayList<>(statements.size());
        Instant now = settings.clock().instant();
        for (int i = 0; i < futures.size(); i++) {
            try {
                outcomes.add(futures.get(i).get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                outcomes.add(
                        outcome(statements.get(i), null, Status.INTERRUPTED, "interrupted", null, null, -1, now, null));
            } catch (ExecutionException e) {
                // run() turns what the SDK throws into outcomes; anything else is a bug, never success.
                outcomes.add(outcome(
                        statements.get(i),
                        null,
                        Status.POLL_FAILED,
                        "unexpected: " + e.getCause(),
                        null,
                        null,
                        -1,
                        now,
                        null));
            }
        }
        return outcomes;
    }

    /**
     * Reads every row of a FINISHED query, page by page (GetStatementResult and its NextToken).
     *
     * @param id the statement's id
     * @return the rows, each a list of fields
     * @throws SdkException when a page cannot be read
     */
    public List<List<Field>> records(String id) {
        List<List<Field>> rows = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            GetStatementResultResponse page =
                    client.getStatementResult(r -> r.id(id).nextToken(next));
            rows.addAll(page.records());
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        return rows;
    }

    /** Stops the threads of {@link #runAll}. */
    @Override
    public void close() {
        synchronized (this) {
            if (workers != null) {
                workers.shutdownNow();
            }
        }
    }

    private synchronized ExecutorService workers() {
        if (workers == null) {
            AtomicInteger n = new AtomicInteger();
            workers = Executors.newFixedThreadPool(settings.maxConcurrent(), r -> {
                Thread t = new Thread(r, "statement-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        return workers;
    }

    private String submit(Statement statement) {
        // One token per submission: the SDK's retries of this call reuse it.
        String token = UUID.randomUUID().toString();
        if (statement.batch()) {
            BatchExecuteStatementRequest.Builder request = BatchExecuteStatementRequest.builder()
                    .workgroupName(target.workgroupName())
                    .database(target.database())
                    .sqls(statement.sqls())
                    .clientToken(token);
            target.secretArn().ifPresent(request::secretArn);
            return client.batchExecuteStatement(request.build()).id();
        }
        ExecuteStatementRequest.Builder request = ExecuteStatementRequest.builder()
                .workgroupName(target.workgroupName())
                .database(target.database())
                .sql(statement.sql())
                .clientToken(token);
        target.secretArn().ifPresent(request::secretArn);
        // The API rejects an empty Parameters list (a COPY has none): send the member only with values.
        if (!statement.parameters().isEmpty()) {
            request.parameters(statement.parameters().entrySet().stream()
                    .map(p -> SqlParameter.builder()
                            .name(p.getKey())
                            .value(p.getValue())
                            .build())
                    .toList());
        }
        return client.executeStatement(request.build()).id();
    }

    /** Cancels a statement that must not outlive its deadline; says what happened. */
    private String cancel(String id) {
        try {
            Boolean cancelled = client.cancelStatement(r -> r.id(id)).status();
            LOG.warn("CancelStatement {}: {}", id, cancelled);
            return Boolean.TRUE.equals(cancelled)
                    ? "it was cancelled"
                    : "CancelStatement did not confirm the cancellation, so it may still complete";
        } catch (SdkException e) {
            LOG.warn("CancelStatement {} failed: {}", id, e.getMessage());
            return "cancelling it failed (" + e.getMessage() + "), so it may still complete";
        }
    }

    private StatementOutcome outcome(
            Statement statement,
            String id,
            Status status,
            String error,
            SdkException cause,
            String cancellation,
            long rows,
            Instant started,
            Instant finishedAt) {
        return new StatementOutcome(
                statement,
                Optional.ofNullable(id),
                status,
                Optional.ofNullable(error),
                Optional.ofNullable(cause),
                Optional.ofNullable(cancellation),
                rows,
                Duration.between(started, settings.clock().instant()),
                Optional.ofNullable(finishedAt));
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
