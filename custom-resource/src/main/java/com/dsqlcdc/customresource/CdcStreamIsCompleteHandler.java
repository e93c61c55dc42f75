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
 * isComplete of {@code Custom::DsqlCdcStream} under the CDK Provider framework, polled until it
 * returns {@code IsComplete: true} (with {@code Data}) or throws, or the provider's total timeout
 * passes.
 */
public final class CdcStreamIsCompleteHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private static final Logger LOG = LoggerFactory.getLogger(CdcStreamIsCompleteHandler.class);

    private final CdcStreamResource resource;

    public CdcStreamIsCompleteHandler() {
        this(StreamResourceFactory.fromEnvironment());
    }

    public CdcStreamIsCompleteHandler(CdcStreamResource resource) {
        this.resource = resource;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        // Powertools adds the service (POWERTOOLS_SERVICE_NAME) and the invocation to every log line.
        return PowertoolsLogging.withLogging(context, () -> {
            try {
                return resource.isComplete(CustomResourceRequest.from(event), CdcStreamResource.adoptedStream(event));
            } catch (RuntimeException e) {
                LOG.error("isComplete failed: {}", e.getMessage(), e);
                throw e;
            }
        });
    }
}
