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
 * The backfill job's first step (infra's {@code BackfillJob} state machine calls it with the
 * execution's input, {@link JobSteps.PlanRequest#MEMBERS}): checks the CDC stream (backfill and
 * resync start only while it is ACTIVE) and, for a resync, the loader's backlog; plans each table's key
 * ranges from the data and writes the plan and the work items to the staging bucket's
 * {@code backfill/<job id>/}. Planning a large table takes split-point queries: when the call's time
 * runs short it returns {@code planComplete: false}, and the state machine calls it again with
 * {@code {"jobId": ...}}, which goes on from the plan's cursor. A refused job (stream not ACTIVE, a
 * resync's precondition) fails the call with a message that says why and what to do.
 */
public final class BackfillPlanHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private static final Logger LOG = LoggerFactory.getLogger(BackfillPlanHandler.class);
    /** Kept back from the invocation's time: the last split-point query and saving the plan. */
    static final Duration SAFETY_MARGIN = Duration.ofSeconds(60);

    private final JobSteps steps;
    private final Clock clock;

    /** Production wiring: settings from the environment, real clients, the catalog on the classpath. */
    public BackfillPlanHandler() {
        this(BackfillWiring.plan(System.getenv()), Clock.systemUTC());
    }

    /**
     * @param steps the job's steps
     * @param clock time source
     */
    public BackfillPlanHandler(JobSteps steps, Clock clock) {
        this.steps = steps;
        this.clock = clock;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> {
            JobSteps.PlanRequest request = JobSteps.PlanRequest.from(event);
            Instant deadline = BackfillRangeHandler.deadline(clock, context, null, SAFETY_MARGIN);
            Map<String, Object> answer;
            try {
                answer = steps.plan(request, deadline);
            } catch (SQLException e) {
                throw new SourceUnavailableException(
                        "planning job " + (request.jobId() == null ? "(new)" : request.jobId()), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while planning", e);
            }
            LOG.info(
                    "plan step",
                    entry("jobId", answer.get("jobId")),
                    entry("mode", answer.get("mode")),
                    entry("planComplete", answer.get("planComplete")),
                    entry("rangeCount", answer.get("rangeCount")));
            return answer;
        });
    }
}
