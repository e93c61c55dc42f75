package com.dsqlcdc.infra.stateless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dsqlcdc.infra.TestSupport;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Lambda asset as Lambda will run it: the shaded jar alone on a class path (nothing from this
 * JVM's test class path), each handler named in the template built with its no-arg constructor
 * (real SDK clients, region from the environment) and invoked. A handler name that does not match a
 * class, or a dependency lost in shading, fails here instead of in the middle of a deploy.
 */
class CustomResourceJarTest {

    private static final List<String> PROPERTIES =
            List.of("aws.region", "aws.accessKeyId", "aws.secretAccessKey", "aws.endpointUrlDsql");

    private static URLClassLoader jar;

    @BeforeAll
    static void loadTheAssetJarInIsolation() throws Exception {
        jar = new URLClassLoader(
                new URL[] {TestSupport.CUSTOM_RESOURCE_JAR.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        System.setProperty("aws.region", "eu-west-1");
        System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
        System.setProperty("aws.secretAccessKey", "secret");
        // Nothing listens there: the paths below must not need the network.
        System.setProperty("aws.endpointUrlDsql", "http://127.0.0.1:1");
    }

    @AfterAll
    static void close() throws Exception {
        PROPERTIES.forEach(System::clearProperty);
        jar.close();
    }

    /** Instantiates {@code Class::method} from the jar as Lambda does and invokes it. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> invoke(String handler, Map<String, Object> event) throws Throwable {
        String[] parts = handler.split("::");
        Class<?> type = Class.forName(parts[0], true, jar);
        Object instance = type.getDeclaredConstructor().newInstance();
        Method method =
                type.getMethod(parts[1], Map.class, jar.loadClass("com.amazonaws.services.lambda.runtime.Context"));
        try {
            return (Map<String, Object>) method.invoke(instance, event, null);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static Map<String, Object> event(String type, String physicalId, Map<String, Object> properties) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("RequestType", type);
        event.put("RequestId", "7d1b3c1e-0000-4000-8000-000000000001");
        event.put("StackId", "arn:aws:cloudformation:eu-west-1:123456789012:stack/dev-Stateless/1");
        event.put("LogicalResourceId", "CdcStream54FACF02");
        event.put("ResourceType", DsqlCdcStream.RESOURCE_TYPE);
        event.put("PhysicalResourceId", physicalId);
        event.put("ResourceProperties", properties);
        return event;
    }

    @Test
    void theIsCompleteHandlerRunsFromTheJar() throws Throwable {
        Map<String, Object> result = invoke(
                DsqlCdcStream.IS_COMPLETE_HANDLER,
                event("Delete", "AWSCDK::CustomResourceProviderFramework::CREATE_FAILED", Map.of()));

        assertThat(result).containsEntry("IsComplete", true);
    }

    @Test
    void theOnEventHandlerRunsFromTheJarAndValidatesItsProperties() {
        Map<String, Object> properties = Map.of(
                "ClusterIdentifier",
                "not-a-cluster",
                "KinesisStreamArn",
                "arn:aws:kinesis:eu-west-1:123456789012:stream/s",
                "RoleArn",
                "arn:aws:iam::123456789012:role/r");

        assertThatThrownBy(() -> invoke(DsqlCdcStream.ON_EVENT_HANDLER, event("Create", null, properties)))
                .hasMessageContaining("ClusterIdentifier must be 26 characters");
    }

    @Test
    void theWarehouseSchemaHandlerRunsFromTheJarAsOnEventAndAsIsComplete() throws Throwable {
        Map<String, Object> delete = event("Delete", "warehouse-schema:wg/dev", Map.of());
        delete.put("ResourceType", WarehouseSchemaResource.RESOURCE_TYPE);

        Map<String, Object> onEvent = invoke(WarehouseSchemaResource.HANDLER, delete);
        // the framework hands isComplete the request with what onEvent returned
        Map<String, Object> followUp = new LinkedHashMap<>(delete);
        followUp.putAll(onEvent);
        Map<String, Object> isComplete = invoke(WarehouseSchemaResource.HANDLER, followUp);

        assertThat(onEvent).containsEntry("PhysicalResourceId", "warehouse-schema:wg/dev");
        assertThat(isComplete).containsEntry("IsComplete", true);
    }

    @Test
    void theOnEventHandlerLeavesAFailedCreatesMarkerAlone() throws Throwable {
        Map<String, Object> result = invoke(
                DsqlCdcStream.ON_EVENT_HANDLER,
                event("Delete", "AWSCDK::CustomResourceProviderFramework::CREATE_FAILED", Map.of()));

        assertThat(result)
                .containsEntry("PhysicalResourceId", "AWSCDK::CustomResourceProviderFramework::CREATE_FAILED");
    }
}
