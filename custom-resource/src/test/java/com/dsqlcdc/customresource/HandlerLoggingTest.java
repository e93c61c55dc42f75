package com.dsqlcdc.customresource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.dsqlcdc.clients.dataapi.DataApiStatements;
import com.dsqlcdc.customresource.schema.SchemaStatements;
import com.dsqlcdc.customresource.schema.WarehouseSchemaApplier;
import com.dsqlcdc.customresource.stream.CdcStreamResource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;

/**
 * The handlers log through Powertools with the invocation's context: each line names the service
 * ({@code POWERTOOLS_SERVICE_NAME}, which infra sets and surefire sets here as the stream resource's
 * function has it) and the request, instead of {@code "service": null}.
 */
class HandlerLoggingTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, Object> NOT_A_REQUEST = Map.of("RequestType", "Bogus");
    private static final Context INVOCATION = WarehouseSchemaHandlerTest.context(Duration.ofMinutes(5));

    static Stream<Arguments> handlers() {
        // None gets as far as calling AWS: the event is refused first.
        CdcStreamResource stream = new CdcStreamResource(null, null, null, "eu-west-1");
        RedshiftDataClient unused = RedshiftDataClient.builder()
                .region(Region.EU_WEST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        WarehouseSchemaApplier schema =
                new WarehouseSchemaApplier(new SchemaStatements(unused, DataApiStatements.Settings.defaults()));
        return Stream.of(
                Arguments.of("stream onEvent", new CdcStreamOnEventHandler(stream)),
                Arguments.of("stream isComplete", new CdcStreamIsCompleteHandler(stream)),
                Arguments.of("warehouse schema", new WarehouseSchemaHandler(schema)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("handlers")
    void aHandlersLogLinesNameTheServiceAndTheRequest(
            String name, RequestHandler<Map<String, Object>, Map<String, Object>> handler) throws Exception {
        String service = System.getenv("POWERTOOLS_SERVICE_NAME");
        assertThat(service)
                .as("set by the custom-resource module's surefire configuration")
                .isNotBlank();

        List<JsonNode> lines = capture(() -> assertThatThrownBy(() -> handler.handleRequest(NOT_A_REQUEST, INVOCATION))
                .hasMessageContaining("RequestType must be Create, Update or Delete"));

        assertThat(lines).isNotEmpty();
        for (JsonNode line : lines) {
            assertThat(line.path("service").asText()).isEqualTo(service);
            assertThat(line.path("function_request_id").asText()).isEqualTo(INVOCATION.getAwsRequestId());
            assertThat(line.path("function_name").asText()).isEqualTo(INVOCATION.getFunctionName());
        }
    }

    private static List<JsonNode> capture(Runnable run) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Configurator.setLevel("com.dsqlcdc.customresource", Level.ERROR);
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            run.run();
        } finally {
            System.setOut(original);
            Configurator.setLevel("com.dsqlcdc.customresource", Level.OFF);
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(MAPPER.readTree(line));
            }
        }
        return lines;
    }
}
