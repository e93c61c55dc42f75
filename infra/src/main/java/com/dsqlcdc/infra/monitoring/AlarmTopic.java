package com.dsqlcdc.infra.monitoring;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * The environment's alarm topic: every alarm of the pipeline notifies it when it goes into ALARM and
 * when it recovers. Encrypted with its own customer managed key (rotating), because CloudWatch
 * cannot publish to a topic encrypted with the AWS managed {@code aws/sns} key: the key policy must
 * let {@code cloudwatch.amazonaws.com} use it, and an AWS managed key's policy cannot be changed.
 * Publishing requires TLS; CloudWatch may publish on behalf of this account's alarms only.
 *
 * <p>Each configured email address is subscribed; SNS mails it a confirmation link, and nothing is
 * delivered to it until someone follows the link.
 */
public final class AlarmTopic extends Construct {

    private final Key key;
    private final Topic topic;
    private final SnsAction action;

    /**
     * @param scope  parent construct
     * @param id     construct id
     * @param name   environment name, in the topic's display name
     * @param emails addresses to subscribe; may be empty
     */
    public AlarmTopic(Construct scope, String id, String name, List<String> emails) {
        super(scope, id);
        String account = Stack.of(this).getAccount();

        this.key = Key.Builder.create(this, "Key")
                .description("Encrypts the dsql-cdc-pipeline alarm topic of " + name)
                .enableKeyRotation(true)
                // Holds nothing but notifications in flight: goes with its stack.
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        key.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("CloudWatchAlarmsPublishToTheEncryptedTopic")
                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey*"))
                .resources(List.of("*"))
                .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", account)))
                .build());

        this.topic = Topic.Builder.create(this, "Topic")
                .displayName("dsql-cdc-pipeline " + name + " alarms")
                .masterKey(key)
                .enforceSsl(true)
                .build();
        // A topic policy replaces SNS's default one, so CloudWatch's right to publish is explicit.
        topic.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("CloudWatchAlarmsOfThisAccountPublish")
                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                .actions(List.of("sns:Publish"))
                .resources(List.of(topic.getTopicArn()))
                .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", account)))
                .build());
        emails.forEach(email -> topic.addSubscription(new EmailSubscription(email)));
        this.action = new SnsAction(topic);
    }

    /** @return the topic */
    public ITopic getTopic() {
        return topic;
    }

    /** @return the topic's key */
    public IKey getKey() {
        return key;
    }

    /** @return the alarm action that notifies the topic */
    public SnsAction getAction() {
        return action;
    }
}
