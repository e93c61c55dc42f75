package com.dsqlcdc.infra.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dsqlcdc.contract.MetricNames;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Metric;

/** The alarms' and dashboard's metric identities are the ones the handlers publish (contract's MetricNames). */
class PipelineMetricsTest {

    @Test
    void theHandlersMetricsCarryTheContractsNamespaceAndDimensions() {
        Metric consumer = PipelineMetrics.consumer(MetricNames.RECORDS_QUARANTINED, "Sum", Duration.minutes(5));
        Metric sweep = PipelineMetrics.chunkSweep(MetricNames.INCOMPLETE_CHUNK_SETS, Duration.minutes(15));
        Metric health = PipelineMetrics.streamHealth(MetricNames.STREAM_FAILED, "c", "s", Duration.minutes(5));
        Metric loader = PipelineMetrics.loader(MetricNames.ROWS_MERGED, "Sum", Duration.minutes(5));

        assertThat(consumer.getNamespace()).isEqualTo(MetricNames.NAMESPACE);
        assertThat(consumer.getDimensions()).isEqualTo(Map.of(MetricNames.SERVICE, MetricNames.CONSUMER_SERVICE));
        assertThat(sweep.getDimensions()).isEqualTo(Map.of(MetricNames.SERVICE, MetricNames.CHUNK_SWEEP_SERVICE));
        assertThat(health.getDimensions()).isEqualTo(Map.of(MetricNames.CLUSTER_ID, "c", MetricNames.STREAM_ID, "s"));
        assertThat(loader.getNamespace()).isEqualTo(MetricNames.NAMESPACE);
        assertThat(loader.getDimensions()).isEqualTo(Map.of(MetricNames.SERVICE, MetricNames.LOADER_SERVICE));
    }

    @Test
    void aMetricPerTableIsASearchOverTheTableDimensionWhateverElseTheMetricCarries() {
        assertThat(PipelineMetrics.perDimension(MetricNames.ROWS_MERGED, MetricNames.TABLE, "Sum", Duration.minutes(5))
                        .getExpression())
                .isEqualTo("SEARCH('Namespace=\"DsqlCdcPipeline\" MetricName=\"RowsMerged\" Table', 'Sum', 300)");
    }

    @Test
    void aNameNoFunctionPublishesFailsSynth() {
        assertThatThrownBy(() -> PipelineMetrics.consumer("RecordsLost", "Sum", Duration.minutes(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RecordsLost is not a metric the consumer publishes");
        assertThatThrownBy(() -> PipelineMetrics.chunkSweep(MetricNames.RECORDS_IN, Duration.minutes(5)))
                .hasMessageContaining("RecordsIn is not a metric the chunk sweep publishes");
        assertThatThrownBy(() -> PipelineMetrics.streamHealth("IsImpaired", "c", "s", Duration.minutes(5)))
                .hasMessageContaining("IsImpaired is not a metric the stream health check publishes");
        assertThatThrownBy(() -> PipelineMetrics.loader(MetricNames.RECORDS_STAGED, "Sum", Duration.minutes(5)))
                .hasMessageContaining("RecordsStaged is not a metric the loader publishes");
    }
}
