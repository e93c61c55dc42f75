package com.dsqlcdc.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SdkClientsTest {

    private static Properties properties(String... pairs) {
        Properties p = new Properties();
        for (int i = 0; i < pairs.length; i += 2) {
            p.setProperty(pairs[i], pairs[i + 1]);
        }
        return p;
    }

    @Test
    void s3GoesPathStyleExactlyWhenItsEndpointIsOverridden() {
        assertThat(SdkClients.s3PathStyle(Map.of(), properties())).isFalse();
        assertThat(SdkClients.s3PathStyle(Map.of("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000"), properties()))
                .isTrue();
        assertThat(SdkClients.s3PathStyle(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:9000"), properties()))
                .isTrue();
        assertThat(SdkClients.s3PathStyle(Map.of(), properties("aws.endpointUrlS3", "http://127.0.0.1:9000")))
                .isTrue();
        // another service's override is not S3's
        assertThat(SdkClients.s3PathStyle(Map.of("AWS_ENDPOINT_URL_DSQL", "http://127.0.0.1:9000"), properties()))
                .isFalse();
        assertThat(SdkClients.s3PathStyle(
                        Map.of(
                                "AWS_ENDPOINT_URL_S3",
                                "http://127.0.0.1:9000",
                                "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
                                "true"),
                        properties()))
                .isFalse();
    }

    @Test
    void overridesFollowTheSdksOrder() {
        Map<String, String> env =
                Map.of("AWS_ENDPOINT_URL", "http://global:1", "AWS_ENDPOINT_URL_REDSHIFT_DATA", "http://service:2");

        assertThat(EndpointOverrides.of("REDSHIFT_DATA", "RedshiftData", env, properties()))
                .contains(URI.create("http://service:2"));
        assertThat(EndpointOverrides.of(
                        "REDSHIFT_DATA",
                        "RedshiftData",
                        env,
                        properties("aws.endpointUrlRedshiftData", "http://property:3")))
                .contains(URI.create("http://property:3"));
        assertThat(EndpointOverrides.of("KINESIS", "Kinesis", env, properties()))
                .contains(URI.create("http://global:1"));
        assertThat(EndpointOverrides.of("KINESIS", "Kinesis", Map.of(), properties()))
                .isEmpty();
    }
}
