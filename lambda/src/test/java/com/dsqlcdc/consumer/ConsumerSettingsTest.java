package com.dsqlcdc.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsumerSettingsTest {

    @Test
    void readsTheFunctionsEnvironmentWithDefaults() {
        ConsumerSettings settings = ConsumerSettings.from(Map.of("WORKGROUP_NAME", "wg", "DATABASE_NAME", "dev",
                "QUARANTINE_BUCKET", "q"));
        assertThat(settings).isEqualTo(new ConsumerSettings("wg", "dev", "q", 8, Duration.ofSeconds(120), "DsqlCdcPipeline"));
    }

    @Test
    void readsEveryOverride() {
        ConsumerSettings settings = ConsumerSettings.from(Map.of("WORKGROUP_NAME", "wg", "DATABASE_NAME", "dev",
                "QUARANTINE_BUCKET", "q", "MAX_CONCURRENT_STATEMENTS", "3", "STATEMENT_TIMEOUT_SECONDS", "45",
                "POWERTOOLS_METRICS_NAMESPACE", "Custom"));
        assertThat(settings).isEqualTo(new ConsumerSettings("wg", "dev", "q", 3, Duration.ofSeconds(45), "Custom"));
    }

    @Test
    void namesEveryProblemAtOnce() {
        assertThatThrownBy(() -> ConsumerSettings.from(Map.of("DATABASE_NAME", " ", "MAX_CONCURRENT_STATEMENTS", "0",
                "STATEMENT_TIMEOUT_SECONDS", "soon")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("WORKGROUP_NAME is not set")
                .hasMessageContaining("DATABASE_NAME is not set")
                .hasMessageContaining("QUARANTINE_BUCKET is not set")
                .hasMessageContaining("MAX_CONCURRENT_STATEMENTS=0 is not a whole number in 1-50")
                .hasMessageContaining("STATEMENT_TIMEOUT_SECONDS=soon is not a whole number in 1-900");
    }
}
