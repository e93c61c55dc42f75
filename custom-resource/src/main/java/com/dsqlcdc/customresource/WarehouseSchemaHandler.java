package com.dsqlcdc.customresource;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.dsqlcdc.clients.SdkClients;
import com.dsqlcdc.clients.dataapi.DataApiStatements;
import com.dsqlcdc.contract.retry.Backoff;
import com.dsqlcdc.customresource.schema.SchemaStatements;
import com.dsqlcdc.customresource.schema.WarehouseSchemaApplier;
import com.dsqlcdc.customresource.stream.CustomResourceRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * onEvent and isComplete of {@code Custom::WarehouseSchema} under the CDK Provider framework, in one
 * function (see {@link WarehouseSchemaApplier} for why): a request that carries what onEvent
 * returned ({@link WarehouseSchemaApplier#SUBMITTED_FIELD}) is an isComplete. onEvent returns
 * {@code PhysicalResourceId}, {@code Data} and the submitted statements; isComplete returns {@code
 * IsComplete}; both throw on failure (the framework reports the message to CloudFormation). It never
 * posts to the response URL.
 *
 * <p>Every statement run in an invocation is FINISHED before it returns; one still running when the
 * invocation is about to time out (its remaining time minus {@link #SAFETY_MARGIN}) is cancelled and
 * the event fails. Only the rebuilds and drops onEvent submits outlive the invocation, and
 * isComplete waits for them.
 */
public final class WarehouseSchemaHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private static final Logger LOG = LoggerFactory.getLogger(WarehouseSchemaHandler.class);

    /** Left for cancelling the last statement and answering before Lambda's timeout. */
    static final Duration SAFETY_MARGIN = Duration.ofSeconds(20);
    /** The function's timeout; the budget when no Lambda context is given (local runs). */
    static final Duration MAX_RUNTIME = Duration.ofMinutes(15);

    /** Attempts per Data API call, the first included: throttling and 5xx wait 1-2-4-8 s (with jitter) at most. */
    static final int DATA_API_ATTEMPTS = 5;
    /** Between DescribeStatement calls when not long polling (less than a second before the deadline). */
    static final Backoff POLLS = Backoff.doubling(Duration.ofMillis(100), Duration.ofSeconds(2));

    private final WarehouseSchemaApplier resource;
    private final Clock clock;
    private final Duration safetyMargin;

    public WarehouseSchemaHandler() {
        this(new WarehouseSchemaApplier(new SchemaStatements(
                SdkClients.dataApi(SdkClients.httpClient(), DATA_API_ATTEMPTS),
                DataApiStatements.Settings.defaults().polls(POLLS, DataApiStatements.Settings.DEFAULT_LONG_POLL))));
    }

    public WarehouseSchemaHandler(WarehouseSchemaApplier resource) {
        this(resource, Clock.systemUTC(), SAFETY_MARGIN);
    }

    /** @param safetyMargin how long before the invocation's end no statement may still be running */
    public WarehouseSchemaHandler(WarehouseSchemaApplier resource, Clock clock, Duration safetyMargin) {
        this.resource = resource;
        this.clock = clock;
        this.safetyMargin = safetyMargin;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        Duration remaining = context == null ? MAX_RUNTIME : Duration.ofMillis(context.getRemainingTimeInMillis());
        Instant deadline = clock.instant().plus(remaining).minus(safetyMargin);
        boolean isComplete = WarehouseSchemaApplier.isCompleteRequest(event);
        // Powertools adds the service (POWERTOOLS_SERVICE_NAME) and the invocation to every log line.
        return PowertoolsLogging.withLogging(context, () -> {
            try {
                return isComplete
                        ? resource.isComplete(event, deadline)
                        : resource.onEvent(CustomResourceRequest.from(event), deadline);
            } catch (RuntimeException e) {
                LOG.error("{} failed: {}", isComplete ? "isComplete" : "onEvent", e.getMessage(), e);
                throw e;
            }
        });
    }
}
