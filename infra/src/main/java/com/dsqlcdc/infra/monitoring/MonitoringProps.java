package com.dsqlcdc.infra.monitoring;

import com.dsqlcdc.infra.config.AlarmsConfig;
import java.util.List;
import java.util.Objects;
import software.amazon.awscdk.services.cloudwatch.Alarm;

/**
 * Properties of {@link Monitoring}.
 *
 * @param environmentName the environment's name (alarm names, dashboard name, topic display name)
 * @param config          the environment's alarm thresholds and email subscriptions
 * @param watched         what the alarms and the dashboard watch
 * @param otherAlarms     alarms made elsewhere that must notify the topic too (and show on the
 *                        dashboard), in order; may be empty
 */
public record MonitoringProps(
        String environmentName, AlarmsConfig config, MonitoredResources watched, List<Alarm> otherAlarms) {

    public MonitoringProps {
        Objects.requireNonNull(environmentName, "MonitoringProps.environmentName is required");
        Objects.requireNonNull(config, "MonitoringProps.config is required");
        Objects.requireNonNull(watched, "MonitoringProps.watched is required");
        otherAlarms = List.copyOf(Objects.requireNonNull(otherAlarms, "MonitoringProps.otherAlarms is required"));
    }
}
