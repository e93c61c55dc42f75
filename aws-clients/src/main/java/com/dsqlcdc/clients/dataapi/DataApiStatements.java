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
import software.amazon.awssdk.services.redshiftdata.model.BatchExecuteStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementResponse;
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
        return run(statement, deadline, null);
    }

    /**
     * A Data API session: the statements run in it share one database connection, so temporary
     * tables live from one to the next (a BatchExecuteStatement is still its own transaction). The
     * first statement opens it ({@code SessionKeepAliveSeconds}); the next ones name it
     * ({@code SessionId}). The service closes it once it has been idle for the keep-alive time.
     */
    public final class Session {
        private final int keepAliveSeconds;
        private volatile String id;

        private Session(int keepAliveSeconds) {
            this.keepAliveSeconds = keepAliveSeconds;
        }

        /**
         * Runs one statement in the session (one at a time: a session runs one statement at once) and
         * waits for its final word.
         *
         * @param statement what to run
         * @param deadline  no statement may still be running after it
         * @return what became of it
         */
        public synchronized StatementOutcome run(Statement statement, Instant deadline) {
            return DataApiStatements.this.run(statement, deadline, this);
        }

        /** @return the session's id, once its first statement was accepted */
        public Optional<String> id() {
            return Optional.ofNullable(id);
        }
    }

    /**
     * @param keepAlive how long the service keeps the session open after a statement ends (1 s to 24 h)
     * @return a session, opened by its first statement
     */
    public Session openSession(Duration keepAlive) {
        long seconds = keepAlive.toSeconds();
        if (seconds < 1 || seconds > 86_400) {
            throw new IllegalArgumentException("a session's keep-alive is 1 s to 24 h, got " + keepAlive);
        }
        return new Session((int) seconds);
    }

    private StatementOutcome run(Statement statement, Instant deadline, Session session) {
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
            id = submit(statement, session);
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
                return new StatementOutcome(
                        statement,
                        Optional.of(id),
                        Status.FINISHED,
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        rows,
                        subStatementRows(described),
                        Duration.between(started, settings.clock().instant()),
                        Optional.of(settings.clock().instant()));
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

    /**
     * A FINISHED query's result: its column names and rows.
     *
     * @param columns the column names, in order
     * @param rows    the rows, each a list of fields in column order
     */
    public record Result(List<String> columns, List<List<Field>> rows) {
        /** @return the rows as column name → value text (SQL NULL as {@code null}) */
        public List<java.util.Map<String, String>> records() {
            List<java.util.Map<String, String>> records = new ArrayList<>(rows.size());
            for (List<Field> row : rows) {
                java.util.Map<String, String> record = new java.util.LinkedHashMap<>();
                for (int i = 0; i < columns.size(); i++) {
                    record.put(columns.get(i), text(row.get(i)));
                }
                records.add(record);
            }
            return records;
        }

        private static String text(Field field) {
            if (Boolean.TRUE.equals(field.isNull())) {
                return null;
            }
            if (field.stringValue() != null) {
                return field.stringValue();
            }
            if (field.longValue() != null) {
                return Long.toString(field.longValue());
            }
            if (field.booleanValue() != null) {
                return Boolean.toString(field.booleanValue());
            }
            if (field.doubleValue() != null) {
                return Double.toString(field.doubleValue());
            }
            return null;
        }
    }

    /**
     * Reads a FINISHED query's column names and every row, page by page.
     *
     * @param id the statement's id
     * @return the result
     * @throws SdkException when a page cannot be read
     */
    public Result result(String id) {
        List<String> columns = new ArrayList<>();
        List<List<Field>> rows = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            GetStatementResultResponse page =
                    client.getStatementResult(r -> r.id(id).nextToken(next));
            if (columns.isEmpty() && page.hasColumnMetadata()) {
                page.columnMetadata().forEach(c -> columns.add(c.label() != null ? c.label() : c.name()));
            }
            rows.addAll(page.records());
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        return new Result(columns, rows);
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

    private String submit(Statement statement, Session session) {
        // One token per submission: the SDK's retries of this call reuse it.
        String token = UUID.randomUUID().toString();
        // In an open session the statement names the session alone (it already knows where and as
        // whom); otherwise the target, and the keep-alive when it opens a session.
        boolean named = session != null && session.id != null;
        if (statement.batch()) {
            BatchExecuteStatementRequest.Builder request = BatchExecuteStatementRequest.builder()
                    .sqls(statement.sqls())
                    .clientToken(token);
            if (named) {
                request.sessionId(session.id).sessionKeepAliveSeconds(session.keepAliveSeconds);
            } else {
                request.workgroupName(target.workgroupName()).database(target.database());
                target.secretArn().ifPresent(request::secretArn);
                if (session != null) {
                    request.sessionKeepAliveSeconds(session.keepAliveSeconds);
                }
            }
            BatchExecuteStatementResponse response = client.batchExecuteStatement(request.build());
            if (session != null && session.id == null) {
                session.id = response.sessionId();
            }
            return response.id();
        }
        ExecuteStatementRequest.Builder request =
                ExecuteStatementRequest.builder().sql(statement.sql()).clientToken(token);
        if (named) {
            request.sessionId(session.id).sessionKeepAliveSeconds(session.keepAliveSeconds);
        } else {
            request.workgroupName(target.workgroupName()).database(target.database());
            target.secretArn().ifPresent(request::secretArn);
            if (session != null) {
                request.sessionKeepAliveSeconds(session.keepAliveSeconds);
            }
        }
        // The API rejects an empty Parameters list (a COPY has none): send the member only with values.
        if (!statement.parameters().isEmpty()) {
            request.parameters(statement.parameters().entrySet().stream()
                    .map(p -> SqlParameter.builder()
                            .name(p.getKey())
                            .value(p.getValue())
                            .build())
                    .toList());
        }
        ExecuteStatementResponse response = client.executeStatement(request.build());
        if (session != null && session.id == null) {
            session.id = response.sessionId();
        }
        return response.id();
    }

    /** ResultRows of each sub-statement of a batch, in order; empty for a single statement. */
    private static List<Long> subStatementRows(DescribeStatementResponse described) {
        if (!described.hasSubStatements()) {
            return List.of();
        }
        return described.subStatements().stream()
                .sorted(java.util.Comparator.comparing(
                        sub -> sub.id() == null ? "" : sub.id(),
                        java.util.Comparator.comparingInt((String id) -> id.length())
                                .thenComparing(id -> id)))
                .map(sub -> sub.resultRows() == null ? -1L : sub.resultRows())
                .toList();
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
                List.of(),
                Duration.between(started, settings.clock().instant()),
                Optional.ofNullable(finishedAt));
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
