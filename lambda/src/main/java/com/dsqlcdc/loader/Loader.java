package com.dsqlcdc.loader;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loader invocation: load everything staged, oldest first, in runs of bounded size, until
 * nothing is staged or the invocation's time is up. The schedule starts it once per load interval;
 * the function's reserved concurrency of one makes it the warehouse's single writer (and every
 * commit also takes the loader's lock, so a statement left running by a timed-out invocation
 * cannot interleave with the next one's).
 */
public final class Loader {

    private static final Logger LOG = LoggerFactory.getLogger(Loader.class);

    private final StagingStore staging;
    private final Run run;
    private final Limits limits;
    private final Clock clock;

    /** One run's work over a set of staged objects ({@link LoadRun}). */
    @FunctionalInterface
    public interface Run {
        /**
         * @param runId    names the run
         * @param objects  the objects to load
         * @param deadline no statement may still be running after it
         * @return what the run did
         */
        LoadRun.Result load(String runId, List<StagedObject> objects, Instant deadline);
    }

    /**
     * How much one run takes, and how long before the deadline no run starts.
     *
     * @param maxObjectsPerRun staged objects per run (a COPY manifest's entries)
     * @param maxBytesPerRun   bytes per run (a run takes at least one object, whatever its size)
     * @param runBudget        time a run may need: no run starts with less than this left
     */
    public record Limits(int maxObjectsPerRun, long maxBytesPerRun, Duration runBudget) {
        public Limits {
            if (maxObjectsPerRun < 1 || maxBytesPerRun < 1 || runBudget.isNegative()) {
                throw new IllegalArgumentException("invalid loader limits: " + maxObjectsPerRun + " objects, "
                        + maxBytesPerRun + " bytes, budget " + runBudget);
            }
        }
    }

    /**
     * What an invocation did.
     *
     * @param runs           the runs that committed, in order
     * @param stagedBefore   objects staged when it started
     * @param oldestBefore   age of the oldest of them, when any
     * @param stagedAfter    objects still staged when it stopped (as far as it knows)
     * @param failure        why it stopped early, when a run failed
     */
    public record Report(
            List<LoadRun.Result> runs,
            int stagedBefore,
            Optional<Duration> oldestBefore,
            int stagedAfter,
            Optional<String> failure) {}

    /**
     * @param staging the staging bucket
     * @param run     one run's work
     * @param limits  run sizes and the time budget
     * @param clock   time source
     */
    public Loader(StagingStore staging, Run run, Limits limits, Clock clock) {
        this.staging = staging;
        this.run = run;
        this.limits = limits;
        this.clock = clock;
    }

    /**
     * @param deadline when the invocation must have stopped
     * @return what it did
     */
    public Report drain(Instant deadline) {
        List<StagedObject> pending = sortedStaged();
        int before = pending.size();
        Optional<Duration> oldest = pending.isEmpty()
                ? Optional.empty()
                : Optional.of(Duration.between(pending.get(0).lastModified(), clock.instant()));
        List<LoadRun.Result> results = new ArrayList<>();
        Optional<String> failure = Optional.empty();
        while (!pending.isEmpty() && clock.instant().plus(limits.runBudget()).isBefore(deadline)) {
            List<StagedObject> taken = take(pending);
            String runId = runId();
            try {
                LoadRun.Result result = run.load(runId, taken, deadline);
                results.add(result);
                LOG.info(
                        "run committed",
                        entry("runId", runId),
                        entry("objects", result.objects()),
                        entry("changes", result.totalChanges()),
                        entry("appended", result.appended()),
                        entry("merged", result.merged()),
                        entry("commits", result.commits()),
                        entry("durationMs", result.duration().toMillis()));
            } catch (RuntimeException e) {
                failure = Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
                LOG.error(
                        "run failed; its staged objects stay staged and the next run loads them",
                        entry("runId", runId),
                        entry("objects", taken.size()),
                        e);
                break;
            }
            pending.subList(0, taken.size()).clear();
        }
        return new Report(results, before, oldest, pending.size(), failure);
    }

    /** The oldest objects that fit one run: at least one, at most the object and byte limits. */
    private List<StagedObject> take(List<StagedObject> pending) {
        int count = 0;
        long bytes = 0;
        while (count < pending.size()
                && count < limits.maxObjectsPerRun()
                && (count == 0 || bytes + pending.get(count).size() <= limits.maxBytesPerRun())) {
            bytes += pending.get(count).size();
            count++;
        }
        return List.copyOf(pending.subList(0, count));
    }

    private List<StagedObject> sortedStaged() {
        List<StagedObject> staged = new ArrayList<>(staging.listStaged());
        staged.sort(Comparator.comparing(StagedObject::lastModified).thenComparing(StagedObject::key));
        return staged;
    }

    /** A run id: the time and some randomness (it only names the run's manifest). */
    private String runId() {
        byte[] random = new byte[6];
        ThreadLocalRandom.current().nextBytes(random);
        return clock.instant().toEpochMilli() + "-" + HexFormat.of().formatHex(random);
    }
}
