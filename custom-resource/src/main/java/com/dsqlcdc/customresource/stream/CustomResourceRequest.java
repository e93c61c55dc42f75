package com.dsqlcdc.customresource.stream;

import java.util.Map;
import java.util.Objects;

/**
 * The CloudFormation custom-resource request as the CDK Provider framework hands it to the user
 * handlers. For isComplete, {@code physicalResourceId} is what onEvent returned.
 */
public record CustomResourceRequest(
        RequestType requestType,
        String requestId,
        String stackId,
        String logicalResourceId,
        String physicalResourceId,
        Map<String, Object> resourceProperties,
        Map<String, Object> oldResourceProperties) {

    public enum RequestType {
        CREATE,
        UPDATE,
        DELETE
    }

    public CustomResourceRequest {
        Objects.requireNonNull(requestType, "RequestType");
        Objects.requireNonNull(requestId, "RequestId");
        resourceProperties = resourceProperties == null ? Map.of() : resourceProperties;
        oldResourceProperties = oldResourceProperties == null ? Map.of() : oldResourceProperties;
    }

    /** Reads the event map; a field of the wrong type fails with a message naming it. */
    public static CustomResourceRequest from(Map<String, Object> event) {
        Object type = event.get("RequestType");
        if (!(type instanceof String t) || !(t.equals("Create") || t.equals("Update") || t.equals("Delete"))) {
            throw new IllegalArgumentException("RequestType must be Create, Update or Delete, got " + type);
        }
        return new CustomResourceRequest(
                RequestType.valueOf(t.toUpperCase(java.util.Locale.ROOT)),
                string(event, "RequestId"),
                string(event, "StackId"),
                string(event, "LogicalResourceId"),
                string(event, "PhysicalResourceId"),
                map(event, "ResourceProperties"),
                map(event, "OldResourceProperties"));
    }

    private static String string(Map<String, Object> event, String key) {
        Object value = event.get(key);
        if (value != null && !(value instanceof String)) {
            throw new IllegalArgumentException(
                    key + " must be a string, got " + value.getClass().getSimpleName());
        }
        return (String) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> event, String key) {
        Object value = event.get(key);
        if (value != null && !(value instanceof Map)) {
            throw new IllegalArgumentException(
                    key + " must be an object, got " + value.getClass().getSimpleName());
        }
        return (Map<String, Object>) value;
    }
}
