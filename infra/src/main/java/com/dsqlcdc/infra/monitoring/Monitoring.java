package com.dsqlcdc.infra.monitoring;

import com.dsqlcdc.infra.config.AlarmsConfig;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.constructs.Construct;

/**
 * An environment's monitoring: the alarm topic, an alarm on every hop ({@link PipelineAlarms}), and
 * the dashboard ({@link PipelineDashboard}). Alarms made elsewhere (the stream health check's, the
 * chunk sweep's) are passed in, so every alarm of the environment notifies the same topic, on ALARM
 * and on OK, and shows on the dashboard.
 */
public final class Monitoring extends Construct {

    private final AlarmTopic topic;
    private final List<Alarm> alarms;
    private final Dashboard dashboard;

    /**
     * @param scope parent construct
     * @param id    construct id
     * @param props the environment, its thresholds, what to watch, the other alarms
     */
    public Monitoring(Construct scope, String id, MonitoringProps props) {
        super(scope, id);
        AlarmsConfig config = props.config();
        this.topic = new AlarmTopic(this, "AlarmTopic", props.environmentName(), config.emails());

        List<Alarm> all = new ArrayList<>(props.otherAlarms());
        all.addAll(new PipelineAlarms(this, "Alarms", config, alarmNamePrefix(props.environmentName()), props.watched())
                .getAlarms());
        for (Alarm alarm : all) {
            alarm.addAlarmAction(topic.getAction());
            alarm.addOkAction(topic.getAction());
        }
        this.alarms = List.copyOf(all);

        this.dashboard = new PipelineDashboard(
                        this,
                        "Dashboard",
                        props.environmentName() + "-dsql-cdc-pipeline",
                        props.watched(),
                        Duration.minutes(config.streamHealthIntervalMinutes()),
                        List.<IAlarm>copyOf(all))
                .getDashboard();
    }

    /**
     * @param environmentName the environment
     * @return the prefix of its alarms' names, e.g. {@code dev-dsql-cdc-}: names an operator can
     *         search for, unique per environment in an account
     */
    public static String alarmNamePrefix(String environmentName) {
        return environmentName + "-dsql-cdc-";
    }

    /** @return the alarm topic */
    public AlarmTopic getTopic() {
        return topic;
    }

    /** @return every alarm of the environment, each notifying the topic */
    public List<Alarm> getAlarms() {
        return alarms;
    }

    /** @return the dashboard */
    public Dashboard getDashboard() {
        return dashboard;
    }
}
