package com.dsqlcdc.infra.delivery;

import com.dsqlcdc.infra.DsqlCdcApp;
import com.dsqlcdc.infra.GeneratedSection;
import com.dsqlcdc.infra.config.EnvironmentConfig;
import com.dsqlcdc.infra.config.PipelineConfig;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.cxapi.CloudAssembly;
import software.amazon.awscdk.cxapi.CloudFormationStackArtifact;

/**
 * The example policy of the target accounts' CloudFormation execution role in
 * docs/delivery-pipeline.md, derived from the synthesised templates: one {@code <prefix>:*} per
 * service whose resources the stacks create (resource types → IAM service prefixes, {@link
 * #PREFIXES}), and {@code cloudformation:DescribeStacks} on the stacks whose outputs a template
 * reads with {@code Fn::GetStackOutput}. Run it with {@value #COMMAND} (from the repository root);
 * a test fails while the document's policy is not the one the stacks need.
 */
public final class ExecutionPolicy {

    /** Regenerates the policy in docs/delivery-pipeline.md (the jars must be built: it synthesises). */
    public static final String COMMAND = "mvn -B -q -DskipTests package exec:exec -Dexec.executable=java"
            + " '-Dexec.args=-cp %classpath com.dsqlcdc.infra.delivery.ExecutionPolicy'";
    /** The section's name in docs/delivery-pipeline.md. */
    public static final String SECTION = "execution-policy";

    /**
     * What CloudFormation needs to manage each resource type, by the type's service
     * ({@code AWS::<service>::}) or the whole type where it needs more: the IAM service prefixes.
     * {@code Custom::} resources are invoked through Lambda (their service token).
     */
    static final Map<String, List<String>> PREFIXES = Map.ofEntries(
            Map.entry("AWS::CDK::Metadata", List.of()),
            Map.entry("AWS::CloudWatch", List.of("cloudwatch")),
            Map.entry("AWS::DSQL", List.of("dsql")),
            Map.entry("AWS::EC2", List.of("ec2")),
            Map.entry("AWS::Events", List.of("events")),
            Map.entry("AWS::IAM", List.of("iam")),
            Map.entry("AWS::KMS", List.of("kms")),
            Map.entry("AWS::Kinesis", List.of("kinesis")),
            Map.entry("AWS::Lambda", List.of("lambda")),
            Map.entry("AWS::Logs", List.of("logs")),
            Map.entry("AWS::RedshiftServerless", List.of("redshift-serverless")),
            // ManageAdminPassword: Redshift creates, rotates and deletes the namespace's admin secret
            // in Secrets Manager on the caller's behalf.
            Map.entry("AWS::RedshiftServerless::Namespace", List.of("redshift-serverless", "secretsmanager")),
            Map.entry("AWS::S3", List.of("s3")),
            Map.entry("AWS::SNS", List.of("sns")),
            Map.entry("AWS::StepFunctions", List.of("states")),
            Map.entry("Custom", List.of("lambda")));

    /** {@code cloudformation:DescribeStacks}: what {@code Fn::GetStackOutput} reads. */
    static final String DESCRIBE_STACKS = "cloudformation:DescribeStacks";

    /**
     * The policy's two parts.
     *
     * @param actions          {@code <prefix>:*} of every service the stacks create resources of, sorted
     * @param referencedStacks stack-name patterns whose outputs the templates read, sorted
     */
    public record Policy(SortedSet<String> actions, SortedSet<String> referencedStacks) {

        /** @return every action the policy allows, sorted */
        public SortedSet<String> allActions() {
            SortedSet<String> all = new TreeSet<>(actions);
            if (!referencedStacks.isEmpty()) {
                all.add(DESCRIBE_STACKS);
            }
            return all;
        }

        /** @return the policy document, as the document shows it (2-space JSON, a line break at the end) */
        public String json() {
            StringBuilder out = new StringBuilder();
            out.append("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n");
            out.append("    {\n      \"Sid\": \"ManageWhatTheStacksCreate\",\n      \"Effect\": \"Allow\",\n");
            out.append("      \"Action\": [\n");
            out.append(actions.stream().map(a -> "        \"" + a + "\"").collect(Collectors.joining(",\n")));
            out.append("\n      ],\n      \"Resource\": \"*\"\n    }");
            if (!referencedStacks.isEmpty()) {
                out.append(",\n    {\n      \"Sid\": \"ReadTheOutputsOfReferencedStacks\",\n")
                        .append("      \"Effect\": \"Allow\",\n      \"Action\": \"")
                        .append(DESCRIBE_STACKS)
                        .append("\",\n      \"Resource\": [\n")
                        .append(referencedStacks.stream()
                                .map(s -> "        \"arn:aws:cloudformation:*:*:stack/" + s + "/*\"")
                                .collect(Collectors.joining(",\n")))
                        .append("\n      ]\n    }");
            }
            return out.append("\n  ]\n}\n").toString();
        }

        /** @return the section of docs/delivery-pipeline.md: the policy in a JSON code block */
        public String section() {
            return "```json\n" + json() + "```\n";
        }
    }

    private ExecutionPolicy() {}

    /**
     * @param templates    the synthesised templates of every stack the execution role deploys
     * @param environments the environment names (stack names start with them)
     * @return the policy those stacks need
     * @throws IllegalArgumentException for a resource type of a service {@link #PREFIXES} does not know
     */
    @SuppressWarnings("unchecked")
    public static Policy of(Collection<Map<String, Object>> templates, Collection<String> environments) {
        SortedSet<String> actions = new TreeSet<>();
        SortedSet<String> referenced = new TreeSet<>();
        for (Map<String, Object> template : templates) {
            Map<String, Object> resources = (Map<String, Object>) template.getOrDefault("Resources", Map.of());
            for (Object resource : resources.values()) {
                String type = (String) ((Map<String, Object>) resource).get("Type");
                prefixes(type).forEach(prefix -> actions.add(prefix + ":*"));
            }
            for (String stack : stackOutputReads(template)) {
                referenced.add(asPattern(stack, environments));
            }
        }
        return new Policy(actions, referenced);
    }

    private static List<String> prefixes(String type) {
        if (PREFIXES.containsKey(type)) {
            return PREFIXES.get(type);
        }
        String[] parts = type.split("::");
        String service = parts[0].equals("Custom") ? "Custom" : parts[0] + "::" + parts[1];
        List<String> prefixes = PREFIXES.get(service);
        if (prefixes == null) {
            throw new IllegalArgumentException("a stack creates " + type + ", a service the CloudFormation execution"
                    + " policy does not cover yet: add " + service + " and its IAM service prefix to"
                    + " ExecutionPolicy.PREFIXES, then regenerate docs/delivery-pipeline.md with " + COMMAND);
        }
        return prefixes;
    }

    /** @return the StackName of every Fn::GetStackOutput in the template */
    @SuppressWarnings("unchecked")
    static Set<String> stackOutputReads(Object node) {
        Set<String> names = new TreeSet<>();
        if (node instanceof Map<?, ?> map) {
            Object read = map.get("Fn::GetStackOutput");
            if (read instanceof Map<?, ?> args && args.get("StackName") instanceof String name) {
                names.add(name);
            }
            for (Object value : ((Map<String, Object>) map).values()) {
                names.addAll(stackOutputReads(value));
            }
        } else if (node instanceof List<?> list) {
            for (Object value : list) {
                names.addAll(stackOutputReads(value));
            }
        }
        return names;
    }

    /** {@code dev-Stateful} → {@code *-Stateful}: the same for every environment. */
    private static String asPattern(String stack, Collection<String> environments) {
        for (String environment : environments) {
            if (stack.startsWith(environment + "-")) {
                return "*" + stack.substring(environment.length());
            }
        }
        return stack;
    }

    /**
     * Synthesises the environments of cdk.json (as {@code cdk synth} does, into a temporary
     * directory) and writes their policy into docs/delivery-pipeline.md.
     *
     * @param args the repository root (default: the working directory, or its parent when run in infra/)
     */
    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws IOException {
        Path root =
                args.length > 0 ? Path.of(args[0]) : Files.exists(Path.of("cdk.json")) ? Path.of(".") : Path.of("..");
        Map<String, Object> cdkJson =
                new ObjectMapper().readValue(Files.readString(root.resolve("cdk.json")), Map.class);
        Map<String, Object> context = new LinkedHashMap<>(DsqlCdcApp.DEFAULT_CONTEXT);
        context.putAll((Map<String, Object>) cdkJson.get("context"));
        Path outdir = Files.createTempDirectory("execution-policy");
        App app = new App(
                AppProps.builder().context(context).outdir(outdir.toString()).build());
        PipelineConfig config = PipelineConfig.fromContext(
                context.get(PipelineConfig.ENVIRONMENTS_KEY),
                null,
                root.resolve("custom-resource/target/custom-resource.jar").toAbsolutePath(),
                root.resolve("lambda/target/consumer.jar").toAbsolutePath());
        DsqlCdcApp.addStages(app, config, TableCatalog.load());
        CloudAssembly assembly = app.synth();
        List<Map<String, Object>> templates = new ArrayList<>();
        for (CloudFormationStackArtifact stack : assembly.getStacksRecursively()) {
            templates.add((Map<String, Object>) stack.getTemplate());
        }
        Policy policy = of(
                templates,
                config.environments().stream().map(EnvironmentConfig::name).toList());
        Path document = root.resolve("docs").resolve("delivery-pipeline.md");
        Files.writeString(document, GeneratedSection.replace(Files.readString(document), SECTION, policy.section()));
    }
}
