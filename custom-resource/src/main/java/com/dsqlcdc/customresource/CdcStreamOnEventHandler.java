package com.dsqlcdc.customresource;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.dsqlcdc.customresource.stream.CdcStreamResource;
import com.dsqlcdc.customresource.stream.CustomResourceRequest;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * onEvent of {@code Custom::DsqlCdcStream} under the CDK Provider framework: returns
 * {@code PhysicalResourceId}, throws on failure (the framework reports the message to
 * CloudFormation). It never posts to the response URL itself.
 */
public final class CdcStreamOnEventHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private static final Logger LOG = LoggerFactory.getLogger(CdcStreamOnEventHandler.class);

    private final CdcStreamResource resource;

    public CdcStreamOnEventHandler() {
        this(StreamResourceFactory.fromEnvironment());
    }

    public CdcStreamOnEventHandler(CdcStreamResource resource) {
        this.resource = resource;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        // Powertools adds the service (POWERTOOLS_SERVICE_NAME) and the invocation to every log line.
        return PowertoolsLogging.withLogging(context, () -> {
            try {
                return resource.onEvent(CustomResourceRequest.from(event));
            } catch (RuntimeException e) {
                LOG.error("onEvent failed: {}", e.getMessage(), e);
                throw e;
            }
        });
    }
}
