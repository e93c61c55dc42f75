package com.dsqlcdc.infra.stateless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.dsqlcdc.infra.TestSupport;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The consumer's asset as Lambda will load it: the shaded jar alone on a class path (nothing from
 * this JVM's test class path). The handler the template names is there with what Lambda calls, and
 * the production SDK clients build and sign a request from the jar alone, so a class or a signer
 * lost in shading fails the build, not the first batch. The handler itself is not instantiated:
 * its production wiring reads the function's environment, which {@link CdcConsumerTest} checks.
 */
class ConsumerJarTest {

    private static final List<String> PROPERTIES = List.of(
            "aws.region", "aws.accessKeyId", "aws.secretAccessKey", "aws.endpointUrlS3", "aws.endpointUrlRedshiftData");

    private static URLClassLoader jar;

    @BeforeAll
    static void loadTheAssetJarInIsolation() throws Exception {
        jar = new URLClassLoader(
                new URL[] {TestSupport.CONSUMER_JAR.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        System.setProperty("aws.region", "eu-west-1");
        System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
        System.setProperty("aws.secretAccessKey", "secret");
        // Nothing listens there: a request gets as far as the connection, after signing.
        System.setProperty("aws.endpointUrlS3", "http://127.0.0.1:1");
        System.setProperty("aws.endpointUrlRedshiftData", "http://127.0.0.1:1");
    }

    @AfterAll
    static void close() throws Exception {
        PROPERTIES.forEach(System::clearProperty);
        jar.close();
    }

    @Test
    void theTemplatesHandlerIsInTheJarWithWhatLambdaCalls() throws Exception {
        String[] handler = CdcConsumer.HANDLER.split("::");
        Class<?> type = Class.forName(handler[0], false, jar);

        assertThat(Modifier.isPublic(type.getConstructor().getModifiers())).isTrue();
        Method method = type.getMethod(
                handler[1],
                jar.loadClass("com.amazonaws.services.lambda.runtime.events.KinesisEvent"),
                jar.loadClass("com.amazonaws.services.lambda.runtime.Context"));
        assertThat(method.getReturnType().getName())
                .isEqualTo("com.amazonaws.services.lambda.runtime.events.StreamsEventResponse");
        assertThat(jar.loadClass("com.amazonaws.services.lambda.runtime.RequestHandler")
                        .isAssignableFrom(type))
                .isTrue();
    }

    @Test
    void theLoadersHandlerIsInTheJarWithWhatLambdaCalls() throws Exception {
        assertScheduledHandler(CdcLoader.HANDLER);
    }

    @Test
    void theChunkSweepsHandlerIsInTheJarWithWhatLambdaCalls() throws Exception {
        assertScheduledHandler(ChunkSweep.HANDLER);
    }

    /** A handler a schedule starts: a public RequestHandler whose method Lambda calls with (event, Context). */
    private static void assertScheduledHandler(String name) throws Exception {
        String[] handler = name.split("::");
        Class<?> type = Class.forName(handler[0], false, jar);
        Class<?> context = jar.loadClass("com.amazonaws.services.lambda.runtime.Context");

        assertThat(Modifier.isPublic(type.getConstructor().getModifiers())).isTrue();
        assertThat(jar.loadClass("com.amazonaws.services.lambda.runtime.RequestHandler")
                        .isAssignableFrom(type))
                .isTrue();
        // the scheduled event's type is the handler's choice; Lambda calls (event, Context)
        assertThat(type.getMethods()).anySatisfy(method -> {
            assertThat(method.getName()).isEqualTo(handler[1]);
            assertThat(method.getParameterTypes()).hasSize(2);
            assertThat(method.getParameterTypes()[1]).isEqualTo(context);
        });
    }

    @Test
    void theStreamHealthHandlerIsInTheJarAndValidatesItsEnvironmentAtInit() throws Exception {
        // This JVM has no CLUSTER_ID: the no-arg constructor must say so (and load from the jar alone).
        String[] handler = StreamHealthCheck.HANDLER.split("::");
        Class<?> type = Class.forName(handler[0], true, jar);

        assertThat(type.getMethod(
                        handler[1], Map.class, jar.loadClass("com.amazonaws.services.lambda.runtime.Context")))
                .isNotNull();
        assertThatThrownBy(() -> {
                    try {
                        type.getDeclaredConstructor().newInstance();
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                })
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CLUSTER_ID is not set");
    }

    @Test
    void theProductionClientsBuildAndSignFromTheJarAlone() throws Exception {
        Class<?> clientsType = Class.forName("com.dsqlcdc.consumer.AwsClients", true, jar);
        Object clients = clientsType.getMethod("create").invoke(null);
        // the consumer's clients are S3's only: it never talks to Redshift
        assertThat(clientsType.getRecordComponents())
                .extracting(c -> c.getName())
                .containsExactly("s3");
        Object s3 = clientsType.getMethod("s3").invoke(clients);

        Class<?> requestType = jar.loadClass("software.amazon.awssdk.services.s3.model.PutObjectRequest");
        Class<?> builderType = jar.loadClass("software.amazon.awssdk.services.s3.model.PutObjectRequest$Builder");
        Object builder = requestType.getMethod("builder").invoke(null);
        builderType.getMethod("bucket", String.class).invoke(builder, "quarantine");
        builderType.getMethod("key", String.class).invoke(builder, "probe.jsonl");
        Object request = jar.loadClass("software.amazon.awssdk.utils.builder.SdkBuilder")
                .getMethod("build")
                .invoke(builder);
        Class<?> bodyType = jar.loadClass("software.amazon.awssdk.core.sync.RequestBody");
        Object body = bodyType.getMethod("fromString", String.class).invoke(null, "{}");

        Throwable thrown = catchThrowable(() -> {
            try {
                jar.loadClass("software.amazon.awssdk.services.s3.S3Client")
                        .getMethod("putObject", requestType, bodyType)
                        .invoke(s3, request, body);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });

        // signed, then refused at the connection: not a missing class, signer or auth scheme
        assertThat(thrown.getClass().getName()).isEqualTo("software.amazon.awssdk.core.exception.SdkClientException");
        assertThat(thrown).hasMessageContaining("Unable to execute HTTP request");
    }

    @Test
    void theLoadersDataApiClientBuildsAndSignsFromTheJarAlone() throws Exception {
        Class<?> sdkClients = Class.forName("com.dsqlcdc.clients.SdkClients", true, jar);
        Class<?> httpClient = jar.loadClass("software.amazon.awssdk.http.SdkHttpClient");
        Object http = sdkClients.getMethod("httpClient").invoke(null);
        Object dataApi = sdkClients.getMethod("dataApi", httpClient, int.class).invoke(null, http, 1);

        Class<?> requestType =
                jar.loadClass("software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementRequest");
        Object builder = requestType.getMethod("builder").invoke(null);
        Class<?> builderType = builder.getClass().getInterfaces()[0];
        builderType.getMethod("workgroupName", String.class).invoke(builder, "analytics");
        builderType.getMethod("database", String.class).invoke(builder, "events");
        builderType.getMethod("sql", String.class).invoke(builder, "SELECT 1");
        Object request = jar.loadClass("software.amazon.awssdk.utils.builder.SdkBuilder")
                .getMethod("build")
                .invoke(builder);

        Throwable thrown = catchThrowable(() -> {
            try {
                jar.loadClass("software.amazon.awssdk.services.redshiftdata.RedshiftDataClient")
                        .getMethod("executeStatement", requestType)
                        .invoke(dataApi, request);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });

        // signed, then refused at the connection: not a missing class, signer or protocol
        assertThat(thrown.getClass().getName()).isEqualTo("software.amazon.awssdk.core.exception.SdkClientException");
        assertThat(thrown).hasMessageContaining("Unable to execute HTTP request");
    }

    @Test
    void theLoadersHandlerFromTheJarNamesWhatItsEnvironmentLacksAtInit() throws Exception {
        // This JVM has none of the loader's variables: the no-arg constructor must say which.
        Class<?> type = Class.forName(CdcLoader.HANDLER.split("::")[0], true, jar);

        assertThatThrownBy(() -> {
                    try {
                        type.getDeclaredConstructor().newInstance();
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                })
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("The loader function's environment is invalid")
                .hasMessageContaining("STAGING_BUCKET")
                .hasMessageContaining("WORKGROUP_NAME");
    }

    @Test
    void theTableCatalogShipsInTheJar() throws Exception {
        Class<?> catalogType = Class.forName("com.dsqlcdc.sql.catalog.TableCatalog", true, jar);
        Object catalog = catalogType.getMethod("load").invoke(null);

        assertThat((List<?>) catalogType.getMethod("tables").invoke(catalog))
                .hasSize(TestSupport.catalog().tables().size());
    }
}
