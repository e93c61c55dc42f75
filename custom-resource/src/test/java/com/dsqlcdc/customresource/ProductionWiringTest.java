package com.dsqlcdc.customresource;

import static org.assertj.core.api.Assertions.assertThat;

import com.dsqlcdc.testing.FakeDsqlServer;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The handlers as Lambda builds them (no-arg constructors): the default credentials chain, and the
 * standard endpoint override honoured by both the generated client and the signed stream client.
 * Only the standard system properties point them at the fake.
 */
class ProductionWiringTest {

    private static final String[] PROPERTIES = {
        "aws.region", "aws.endpointUrlDsql", "aws.accessKeyId", "aws.secretAccessKey"
    };

    private FakeDsqlServer fake;

    @BeforeEach
    void pointTheStandardSettingsAtTheFake() throws Exception {
        fake = new FakeDsqlServer(CdcStreamHandlersTest.REGION).cluster(CdcStreamHandlersTest.CLUSTER, "ACTIVE");
        System.setProperty("aws.region", CdcStreamHandlersTest.REGION);
        System.setProperty("aws.endpointUrlDsql", fake.endpoint().toString());
        System.setProperty("aws.accessKeyId", FakeDsqlServer.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", FakeDsqlServer.SECRET_KEY);
    }

    @AfterEach
    void restore() {
        for (String property : PROPERTIES) {
            System.clearProperty(property);
        }
        fake.close();
    }

    @Test
    void theNoArgHandlersCreateAStreamThroughActiveWithDefaultSettings() {
        CdcStreamOnEventHandler onEvent = new CdcStreamOnEventHandler();
        CdcStreamIsCompleteHandler isComplete = new CdcStreamIsCompleteHandler();
        Map<String, Object> request = CdcStreamHandlersTest.create(CdcStreamHandlersTest.defaultProperties());

        Map<String, Object> result = onEvent.handleRequest(request, null);
        Map<String, Object> followUp = CdcStreamHandlersTest.followUp(request, result);
        isComplete.handleRequest(followUp, null);
        Map<String, Object> done = isComplete.handleRequest(followUp, null);

        assertThat(done).containsEntry("IsComplete", true);
        assertThat(fake.count("GetCluster"))
                .as("generated client reached the fake")
                .isEqualTo(1);
        assertThat(fake.count("CreateStream"))
                .as("signed client reached the fake")
                .isEqualTo(1);
        assertThat(fake.signatureProblems()).isEmpty();
    }
}
