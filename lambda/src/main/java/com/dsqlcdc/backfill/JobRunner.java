package com.dsqlcdc.backfill;

import com.dsqlcdc.sql.catalog.TableCatalog;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a job in one process (the laptop command): plans what is not planned yet, then works every
 * range not done with at most {@code concurrency} workers at once, each with a source connection of
 * its own, so the source never serves more than that many read transactions. A failure stops the
 * others after their current page and is thrown once they stopped; every range keeps its last
 * checkpoint, so running the job again resumes it. Running a finished job again does nothing.
 */
public final class JobRunner {

    /** Builds a range worker around a source reader (one per worker thread). */
    @FunctionalInterface
    public interface Workers {
        RangeWorker create(SourceReader reader);
    }

    /** Hears about finished ranges. */
    @FunctionalInterface
    public interface RangeListener {
        void done(RangeState state);

        RangeListener NONE = state -> {};
    }

    private final JobStore store;
    private final TableCatalog catalog;
    private final SourceConnections connections;
    private final Workers workers;
    private final int concurrency;
    private final Clock clock;
    private final RangeListener listener;

    /**
     * @param store       where the job is kept
     * @param catalog     the catalog (the plan's shape must match it)
     * @param connections source connections
     * @param workers     builds a range worker per thread
     * @param concurrency workers at once
     * @param clock       time source
     * @param listener    hears about finished ranges
     */
    public JobRunner(
            JobStore store,
            TableCatalog catalog,
            SourceConnections connections,
            Workers workers,
            int concurrency,
            Clock clock,
            RangeListener listener) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("at least one worker, got " + concurrency);
        }
        this.store = store;
        this.catalog = catalog;
        this.connections = connections;
        this.workers = workers;
        this.concurrency = concurrency;
        this.clock = clock;
        this.listener = listener;
    }

    /**
     * Plans every table of {@code plan} that is not planned yet, saving as it goes.
     *
     * @return the complete plan
     * @throws SQLException when the source refuses
     */
    public JobPlan plan(JobPlan plan) throws SQLException {
        checkCatalog(plan);
        store.savePlan(plan);
        try (SourceReader reader = new SourceReader(connections, clock)) {
            return new RangePlanner(reader, clock).plan(plan, catalog, Instant.MAX, store::savePlan);
        }
    }

    /**
     * Works every range of {@code plan} not done yet.
     *
     * @param plan     a complete plan
     * @param deadline when to stop (the ranges not done keep their checkpoints)
     * @return every range's checkpoint, in plan order
     * @throws SQLException         the first source failure (after the other workers stopped)
     * @throws InterruptedException when interrupted
     */
    public List<RangeState> run(JobPlan plan, Instant deadline) throws SQLException, InterruptedException {
        checkCatalog(plan);
        if (!plan.complete()) {
            throw new IllegalStateException("job " + plan.jobId() + " is not fully planned");
        }
        ConcurrentLinkedQueue<RangeState> todo = new ConcurrentLinkedQueue<>();
        for (JobPlan.RangeId id : plan.rangeIds()) {
            RangeState state = store.range(plan.jobId(), id.table(), id.index())
                    .orElseGet(() -> RangeState.start(
                            id.table(),
                            id.index(),
                            plan.table(id.table()).ranges().get(id.index())));
            if (!state.done()) {
                todo.add(state);
            }
        }
        AtomicBoolean failed = new AtomicBoolean();
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "backfill-worker-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        List<Future<Void>> futures = new ArrayList<>();
        try {
            for (int w = 0; w < Math.min(concurrency, Math.max(1, todo.size())); w++) {
                futures.add(pool.submit(() -> {
                    try (SourceReader reader = new SourceReader(connections, clock)) {
                        RangeWorker worker = workers.create(reader);
                        RangeState state;
                        while (!failed.get() && (state = todo.poll()) != null) {
                            RangeState result =
                                    worker.run(plan, BackfillCatalog.table(catalog, state.table()), state, deadline);
                            if (result.done()) {
                                listener.done(result);
                            }
                        }
                    } catch (Exception | Error e) {
                        failed.set(true);
                        throw e;
                    }
                    return null;
                }));
            }
            Optional<Throwable> first = Optional.empty();
            for (Future<Void> future : futures) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    if (first.isEmpty()) {
                        first = Optional.of(e.getCause());
                    }
                }
            }
            if (first.isPresent()) {
                Throwable cause = first.get();
                if (cause instanceof SQLException sql) {
                    throw sql;
                }
                if (cause instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (cause instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException(cause);
            }
        } finally {
            pool.shutdownNow();
        }
        List<RangeState> states = new ArrayList<>();
        for (JobPlan.RangeId id : plan.rangeIds()) {
            store.range(plan.jobId(), id.table(), id.index()).ifPresent(states::add);
        }
        return states;
    }

    private void checkCatalog(JobPlan plan) {
        String shape = BackfillCatalog.shape(catalog);
        if (plan.catalogShape() != null && !plan.catalogShape().equals(shape)) {
            throw new IllegalStateException("job " + plan.jobId() + " was planned for another sql/catalog.json (a"
                    + " table's key, columns or types changed since); start a new job");
        }
    }
}
