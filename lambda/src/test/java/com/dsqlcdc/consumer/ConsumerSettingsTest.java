package com.dsqlcdc.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsumerSettingsTest {

    @Test
    void readsTheFunctionsEnvironmentWithDefaults() {
        ConsumerSettings settings = ConsumerSettings.from(Map.of(
                "WORKGROUP_NAME",
                "wg",
                "DATABASE_NAME",
                "dev",
                "QUARANTINE_BUCKET",
                "q",
                "STAGING_BUCKET",
                "s",
                "COPY_ROLE_ARN",
                "arn:role"));
        assertThat(settings)
                .isEqualTo(new ConsumerSettings(
                        "wg",
                        "dev",
                        "q",
                        8,
                        Duration.ofSeconds(120),
                        "DsqlCdcPipeline",
                        "s",
                        "arn:role",
                        191,
                        96_000,
                        65_535));
    }

    @Test
    void readsEveryOverride() {
        ConsumerSettings settings = ConsumerSettings.from(Map.ofEntries(
                Map.entry("WORKGROUP_NAME", "wg"),
                Map.entry("DATABASE_NAME", "dev"),
                Map.entry("QUARANTINE_BUCKET", "q"),
                Map.entry("MAX_CONCURRENT_STATEMENTS", "3"),
                Map.entry("STATEMENT_TIMEOUT_SECONDS", "45"),
                Map.entry("POWERTOOLS_METRICS_NAMESPACE", "Custom"),
                Map.entry("STAGING_BUCKET", "s"),
                Map.entry("COPY_ROLE_ARN", "arn:role"),
                Map.entry("BULK_MIN_ROWS", "50"),
                Map.entry("BULK_MIN_BYTES", "2048"),
                Map.entry("MAX_SUPER_STRING_BYTES", "16000000")));
        assertThat(settings)
                .isEqualTo(new ConsumerSettings(
                        "wg", "dev", "q", 3, Duration.ofSeconds(45), "Custom", "s", "arn:role", 50, 2048, 16_000_000));
    }

    @Test
    void namesEveryProblemAtOnce() {
        assertThatThrownBy(() -> ConsumerSettings.from(Map.of(
                        "DATABASE_NAME",
                        " ",
                        "MAX_CONCURRENT_STATEMENTS",
                        "0",
                        "STATEMENT_TIMEOUT_SECONDS",
                        "soon",
                        "BULK_MIN_ROWS",
                        "0",
                        "MAX_SUPER_STRING_BYTES",
                        "99")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("WORKGROUP_NAME is not set")
                .hasMessageContaining("DATABASE_NAME is not set")
                .hasMessageContaining("QUARANTINE_BUCKET is not set")
                .hasMessageContaining("MAX_CONCURRENT_STATEMENTS=0 is not a whole number in 1-50")
                .hasMessageContaining("STATEMENT_TIMEOUT_SECONDS=soon is not a whole number in 1-900")
                .hasMessageContaining("STAGING_BUCKET is not set")
                .hasMessageContaining("COPY_ROLE_ARN is not set")
                .hasMessageContaining("BULK_MIN_ROWS=0 is not a whole number in 1-10000")
                .hasMessageContaining("MAX_SUPER_STRING_BYTES=99 is not a whole number in 65535-16000000");
    }
}
