package com.dsqlcdc.infra.monitoring;

import com.dsqlcdc.infra.config.AlarmsConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awscdk.services.cloudwatch.Alarm;

/** Properties of {@link Monitoring}; build with {@link #builder()}. */
public final class MonitoringProps {

    private final String environmentName;
    private final AlarmsConfig config;
    private final MonitoredResources watched;
    private final List<Alarm> otherAlarms;

    private MonitoringProps(Builder builder) {
        this.environmentName = Objects.requireNonNull(builder.environmentName,
                "MonitoringProps.environmentName is required");
        this.config = Objects.requireNonNull(builder.config, "MonitoringProps.config is required");
        this.watched = Objects.requireNonNull(builder.watched, "MonitoringProps.watched is required");
        this.otherAlarms = List.copyOf(builder.otherAlarms);
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the environment's name (alarm names, dashboard name, topic display name) */
    public String getEnvironmentName() {
        return environmentName;
    }

    /** @return thresholds and email subscriptions */
    public AlarmsConfig getConfig() {
        return config;
    }

    /** @return what the alarms and the dashboard watch */
    public MonitoredResources getWatched() {
        return watched;
    }

    /** @return alarms made elsewhere that must notify the topic too */
    public List<Alarm> getOtherAlarms() {
        return otherAlarms;
    }

    /** Builder of {@link MonitoringProps}. */
    public static final class Builder {
        private String environmentName;
        private AlarmsConfig config;
        private MonitoredResources watched;
        private final List<Alarm> otherAlarms = new ArrayList<>();

        private Builder() {
        }

        /** @param environmentName the environment's name. Required. @return this */
        public Builder environmentName(String environmentName) {
            this.environmentName = environmentName;
            return this;
        }

        /** @param config the environment's alarm settings. Required. @return this */
        public Builder config(AlarmsConfig config) {
            this.config = config;
            return this;
        }

        /** @param watched what to watch. Required. @return this */
        public Builder watched(MonitoredResources watched) {
            this.watched = watched;
            return this;
        }

        /** @param alarm an alarm made elsewhere that must notify the topic. Optional, repeatable. @return this */
        public Builder otherAlarm(Alarm alarm) {
            otherAlarms.add(Objects.requireNonNull(alarm, "alarm"));
            return this;
        }

        /** @return the validated properties */
        public MonitoringProps build() {
            return new MonitoringProps(this);
        }
    }
}
