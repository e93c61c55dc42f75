package com.dsqlcdc.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsumerSettingsTest {

    @Test
    void readsTheFunctionsEnvironmentWithDefaults() {
        ConsumerSettings settings = ConsumerSettings.from(Map.of("QUARANTINE_BUCKET", "q", "STAGING_BUCKET", "s"));
        assertThat(settings).isEqualTo(new ConsumerSettings("q", "s", "DsqlCdcPipeline", 65_535));
    }

    @Test
    void readsEveryOverride() {
        ConsumerSettings settings = ConsumerSettings.from(Map.ofEntries(
                Map.entry("QUARANTINE_BUCKET", "q"),
                Map.entry("POWERTOOLS_METRICS_NAMESPACE", "Custom"),
                Map.entry("STAGING_BUCKET", "s"),
                Map.entry("MAX_SUPER_STRING_BYTES", "16000000")));
        assertThat(settings).isEqualTo(new ConsumerSettings("q", "s", "Custom", 16_000_000));
    }

    @Test
    void namesEveryProblemAtOnce() {
        assertThatThrownBy(() -> ConsumerSettings.from(Map.of("STAGING_BUCKET", " ", "MAX_SUPER_STRING_BYTES", "99")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("QUARANTINE_BUCKET is not set")
                .hasMessageContaining("STAGING_BUCKET is not set")
                .hasMessageContaining("MAX_SUPER_STRING_BYTES=99 is not a whole number in 65535-16000000");
    }

    @Test
    void theConsumerNeedsNothingOfTheWarehouse() {
        // It stops at staging: a Data API variable left in its environment is not read at all.
        ConsumerSettings settings =
                ConsumerSettings.from(Map.of("QUARANTINE_BUCKET", "q", "STAGING_BUCKET", "s", "WORKGROUP_NAME", "wg"));
        assertThat(settings.stagingBucket()).isEqualTo("s");
    }
}
