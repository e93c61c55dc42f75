package com.dsqlcdc.customresource.stream;

import com.dsqlcdc.contract.Problems;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The validated properties of a {@code Custom::DsqlCdcStream}. CloudFormation delivers every
 * property as a string (Tags as an object of strings), so each one is parsed and checked here,
 * and all problems are reported together.
 */
public record StreamProperties(
        String clusterIdentifier,
        String kinesisStreamArn,
        String roleArn,
        String ordering,
        String format,
        int generation,
        Map<String, String> tags) {

    static final String DEFAULT_ORDERING = "UNORDERED";
    static final String DEFAULT_FORMAT = "JSON";

    private static final Pattern CLUSTER_ID = Pattern.compile("[a-z0-9]{26}");
    private static final Pattern KINESIS_STREAM_ARN =
            Pattern.compile("arn:aws[a-z-]*:kinesis:([a-z0-9-]+):(\\d{12}):stream/[A-Za-z0-9_.-]{1,128}");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::(\\d{12}):role/[\\w+=,.@/-]{1,512}");
    private static final Pattern ENUM_VALUE = Pattern.compile("[A-Z][A-Z_]*");
    private static final Pattern GENERATION = Pattern.compile("[1-9][0-9]{0,8}");
    private static final Set<String> KNOWN = Set.of(
            "ServiceToken",
            "ClusterIdentifier",
            "KinesisStreamArn",
            "RoleArn",
            "Ordering",
            "Format",
            "Generation",
            "Tags");

    public StreamProperties {
        tags = Map.copyOf(tags);
    }

    /** Parses {@code properties}; throws {@link StreamResourceException} listing every problem. */
    public static StreamProperties parse(Map<String, Object> properties) {
        Problems problems = new Problems();
        problems.unknownKeys(properties.keySet(), KNOWN, "property", null);
        String cluster = required(properties, "ClusterIdentifier", CLUSTER_ID, "26 characters a-z and 0-9", problems);
        String kinesis = required(
                properties,
                "KinesisStreamArn",
                KINESIS_STREAM_ARN,
                "a Kinesis stream ARN (arn:aws:kinesis:<region>:<account>:stream/<name>)",
                problems);
        String role = required(
                properties, "RoleArn", ROLE_ARN, "an IAM role ARN (arn:aws:iam::<account>:role/<name>)", problems);
        String ordering = optional(properties, "Ordering", DEFAULT_ORDERING, problems);
        String format = optional(properties, "Format", DEFAULT_FORMAT, problems);
        int generation = generation(properties.get("Generation"), problems);
        Map<String, String> tags = tags(properties.get("Tags"), problems);
        problems.throwIfAny("Invalid properties of Custom::DsqlCdcStream", StreamResourceException::new);
        return new StreamProperties(cluster, kinesis, role, ordering, format, generation, tags);
    }

    /**
     * DSQL has no UpdateStream: a change of anything but tags needs a new stream (and so a new
     * physical id, after which CloudFormation deletes the old stream). A new {@code Generation}
     * asks for exactly that with nothing else changed: how an operator replaces a FAILED stream
     * (permanent in DSQL) with a deploy.
     */
    public boolean requiresReplacementOf(StreamProperties previous) {
        return !clusterIdentifier.equals(previous.clusterIdentifier)
                || !kinesisStreamArn.equals(previous.kinesisStreamArn)
                || !roleArn.equals(previous.roleArn)
                || !ordering.equals(previous.ordering)
                || !format.equals(previous.format)
                || generation != previous.generation;
    }

    /** Region of the target Kinesis stream (DSQL requires the cluster's Region). */
    public String kinesisRegion() {
        var m = KINESIS_STREAM_ARN.matcher(kinesisStreamArn);
        return m.matches() ? m.group(1) : null;
    }

    /** Account of the target Kinesis stream (DSQL requires the cluster's account). */
    public String kinesisAccount() {
        var m = KINESIS_STREAM_ARN.matcher(kinesisStreamArn);
        return m.matches() ? m.group(2) : null;
    }

    /** Account of the service role (DSQL requires the cluster's account). */
    public String roleAccount() {
        var m = ROLE_ARN.matcher(roleArn);
        return m.matches() ? m.group(1) : null;
    }

    private static String required(
            Map<String, Object> properties, String key, Pattern pattern, String expected, Problems problems) {
        Object value = properties.get(key);
        if (value == null || (value instanceof String s && s.isBlank())) {
            problems.add(key, key + " is required: expected " + expected, null);
            return null;
        }
        if (!(value instanceof String s) || !pattern.matcher(s).matches()) {
            problems.add(key, key + " must be " + expected + ", got \"" + value + "\"", null);
            return null;
        }
        return s;
    }

    private static String optional(Map<String, Object> properties, String key, String fallback, Problems problems) {
        Object value = properties.get(key);
        if (value == null || (value instanceof String s && s.isBlank())) {
            return fallback;
        }
        if (!(value instanceof String s) || !ENUM_VALUE.matcher(s).matches()) {
            problems.add(
                    key, key + " must be an upper-case value such as " + fallback + ", got \"" + value + "\"", null);
            return null;
        }
        return s;
    }

    /** Absent means 1, so stacks deployed before the property existed keep their stream. */
    private static int generation(Object value, Problems problems) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            return 1;
        }
        if (!(value instanceof String s) || !GENERATION.matcher(s).matches()) {
            problems.add(
                    "Generation", "Generation must be a whole number from 1 to 999999999, got \"" + value + "\"", null);
            return 1;
        }
        return Integer.parseInt(s);
    }

    private static Map<String, String> tags(Object value, Problems problems) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (value == null || (value instanceof String s && s.isBlank())) {
            return tags;
        }
        if (!(value instanceof Map<?, ?> map)) {
            problems.add("Tags", "Tags must be an object of string keys to string values, got \"" + value + "\"", null);
            return tags;
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (!(e.getValue() instanceof String v)) {
                problems.add("Tags." + key, "Tags." + key + " must be a string, got " + e.getValue(), null);
                continue;
            }
            if (key.isEmpty() || key.length() > 128 || key.startsWith("aws:")) {
                problems.add(
                        "Tags." + key,
                        "Tags." + key + ": a tag key is 1-128 characters and must not start with aws:",
                        null);
            } else if (v.length() > 256) {
                problems.add(
                        "Tags." + key,
                        "Tags." + key + ": a tag value is at most 256 characters, got " + v.length(),
                        null);
            } else {
                tags.put(key, v);
            }
        }
        return tags;
    }
}
