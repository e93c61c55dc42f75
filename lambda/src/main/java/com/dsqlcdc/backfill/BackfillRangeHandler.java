package com.dsqlcdc.backfill;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * The backfill job's range worker: one work item {@code {"jobId", "table", "range"}} (from the plan's
 * {@code items.json}, read by the state machine's distributed map), worked page by page for at most
 * {@code WORK_SECONDS} (and never past the invocation's time less a margin), each page one short
 * read-only transaction on the source. Its answer is the item again with {@code done} and the range's
 * figures: the state machine calls it again with that answer until {@code done} is true, and each call
 * resumes from the range's checkpoint in the staging bucket. Extra members of the input (the previous
 * call's figures) are ignored.
 */
public final class BackfillRangeHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private static final Logger LOG = LoggerFactory.getLogger(BackfillRangeHandler.class);
    /** Kept back from the invocation's time: the last page, its flush to S3 and the checkpoint. */
    static final Duration SAFETY_MARGIN = Duration.ofSeconds(90);

    private final JobSteps steps;
    private final Duration workBudget;
    private final Clock clock;

    /** Production wiring: settings from the environment, real clients, the catalog on the classpath. */
    public BackfillRangeHandler() {
        this(BackfillWiring.worker(System.getenv()));
    }

    private BackfillRangeHandler(BackfillWiring.Worker wiring) {
        this(wiring.steps(), wiring.workBudget(), Clock.systemUTC());
    }

    /**
     * @param steps      the job's steps
     * @param workBudget the longest one call works ({@code WORK_SECONDS})
     * @param clock      time source
     */
    public BackfillRangeHandler(JobSteps steps, Duration workBudget, Clock clock) {
        this.steps = steps;
        this.workBudget = workBudget;
        this.clock = clock;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> {
            String jobId = text(event, "jobId");
            String table = text(event, "table");
            int range = index(event);
            Instant deadline = deadline(clock, context, workBudget, SAFETY_MARGIN);
            Map<String, Object> answer;
            try {
                answer = steps.work(jobId, table, range, deadline);
            } catch (SQLException e) {
                throw new SourceUnavailableException("working range " + range + " of " + table + " in job " + jobId, e);
            }
            LOG.info(
                    "range step",
                    entry("jobId", jobId),
                    entry("table", table),
                    entry("range", range),
                    entry("done", answer.get("done")),
                    entry("rowsRead", answer.get("rowsRead")),
                    entry("rowsStaged", answer.get("rowsStaged")));
            return answer;
        });
    }

    /**
     * When a step must have returned: {@code budget} from now (when given), and never later than the
     * invocation's remaining time less {@code margin}.
     */
    static Instant deadline(Clock clock, Context context, Duration budget, Duration margin) {
        Instant now = clock.instant();
        Instant limit = context == null
                ? now.plus(budget == null ? Duration.ofMinutes(10) : budget)
                : now.plusMillis(context.getRemainingTimeInMillis()).minus(margin);
        if (budget != null && now.plus(budget).isBefore(limit)) {
            return now.plus(budget);
        }
        return limit;
    }

    private static String text(Map<String, Object> event, String member) {
        Object value = event == null ? null : event.get(member);
        if (!(value instanceof String text) || text.isBlank()) {
            throw new IllegalArgumentException("the range step takes {\"jobId\", \"table\", \"range\"} (an item of the"
                    + " plan's items.json); '" + member + "' is " + value);
        }
        return text;
    }

    private static int index(Map<String, Object> event) {
        Object value = event == null ? null : event.get("range");
        if (!(value instanceof Number number) || number.doubleValue() != number.intValue()) {
            throw new IllegalArgumentException("the range step takes {\"jobId\", \"table\", \"range\"} (an item of the"
                    + " plan's items.json); 'range' must be a range's index, got " + value);
        }
        return number.intValue();
    }
}
