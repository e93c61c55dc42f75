package com.dsqlcdc.customresource.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/** CloudFormation custom-resource requests as the Provider framework hands them to onEvent. */
public final class CloudFormationEvents {

    private CloudFormationEvents() {}

    /**
     * @param resourceType    e.g. {@code Custom::DsqlCdcStream}
     * @param logicalId       the resource's logical id in the template
     * @param stackId         the stack's ARN (its Region names the response bucket)
     * @param type            {@code Create}, {@code Update} or {@code Delete}
     * @param requestId       the request's id
     * @param physicalId      the physical id (absent on Create)
     * @param props           {@code ResourceProperties}
     * @param oldProps        {@code OldResourceProperties} (Update only)
     * @return the event
     */
    public static Map<String, Object> event(
            String resourceType,
            String logicalId,
            String stackId,
            String type,
            String requestId,
            String physicalId,
            Map<String, Object> props,
            Map<String, Object> oldProps) {
        String region = stackId.split(":")[3];
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("RequestType", type);
        event.put("ServiceToken", props.get("ServiceToken"));
        event.put(
                "ResponseURL",
                "https://cloudformation-custom-resource-response-" + region.replace("-", "") + ".s3." + region
                        + ".amazonaws.com/...");
        event.put("StackId", stackId);
        event.put("RequestId", requestId);
        event.put("LogicalResourceId", logicalId);
        event.put("ResourceType", resourceType);
        event.put("ResourceProperties", props);
        if (physicalId != null) {
            event.put("PhysicalResourceId", physicalId);
        }
        if (oldProps != null) {
            event.put("OldResourceProperties", oldProps);
        }
        return event;
    }
}
