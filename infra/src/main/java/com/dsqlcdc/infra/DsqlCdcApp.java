package com.dsqlcdc.infra;

import com.dsqlcdc.infra.config.DeliveryConfig;
import com.dsqlcdc.infra.config.EnvironmentConfig;
import com.dsqlcdc.infra.config.PipelineConfig;
import com.dsqlcdc.infra.delivery.DeliveryPipelineStack;
import com.dsqlcdc.infra.delivery.DeliveryPipelineStackProps;
import com.dsqlcdc.sql.catalog.TableCatalog;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.constructs.Construct;

/**
 * The CDK app. {@code main} is the only place that reads inputs: it validates
 * {@value PipelineConfig#ENVIRONMENTS_KEY} (and {@value PipelineConfig#ONLY_KEY},
 * {@value PipelineConfig#DELIVERY_KEY}) into a {@link PipelineConfig} once, loads the table catalog
 * ({@code sql/catalog.json}), then adds one {@link PipelineStage} per environment (for laptop
 * deploys) and, when a delivery pipeline is configured, the {@value #DELIVERY_STACK_ID} stack.
 *
 * <p>{@value PipelineConfig#ONLY_KEY} narrows a synth to one environment's laptop stage, so it
 * leaves the pipeline out (the pipeline deploys every configured environment, and its own
 * self-mutation synthesises without {@code only}); the delivery settings are still validated.
 */
public final class DsqlCdcApp {

    /** Where the custom-resource module's build puts its shaded jar, relative to the repository root. */
    static final Path CUSTOM_RESOURCE_JAR = Path.of("custom-resource", "target", "custom-resource.jar");
    /** Where the lambda module's build puts the consumer's shaded jar, relative to the repository root. */
    static final Path CONSUMER_JAR = Path.of("lambda", "target", "consumer.jar");

    /** Id (and CloudFormation stack name) of the delivery pipeline stack. */
    public static final String DELIVERY_STACK_ID = DeliveryConfig.STACK_ID;

    /**
     * Context keys with this prefix are the CDK's own: the CLI warns about every one it finds in
     * cdk.json ("A reserved context key ('context.aws:') key was found"), so the app sets the ones
     * it wants itself ({@link #DEFAULT_CONTEXT}).
     */
    public static final String RESERVED_CONTEXT_PREFIX = "aws:";

    /**
     * The app's own context defaults (cdk.json and {@code -c} still take precedence):
     * {@code aws:cdk:disable-creation-stack-traces}. A jsii app's creation stack traces hold no
     * frame of ours (every one reads "...jsii runtime, node internals... (no user code in 10
     * frames)"), so they only add ~62 KB of noise to cdk.out's metadata; synth time is the same
     * either way (8.3-8.5 s for the shipped app, measured both ways). {@code cdk synth --debug}
     * still turns them back on.
     */
    public static final Map<String, Object> DEFAULT_CONTEXT =
            Map.of(RESERVED_CONTEXT_PREFIX + "cdk:disable-creation-stack-traces", true);

    private DsqlCdcApp() {}

    /** @return the app, with {@link #DEFAULT_CONTEXT} under whatever the CLI passes */
    public static App newApp() {
        return new App(AppProps.builder().context(DEFAULT_CONTEXT).build());
    }

    /**
     * Run by {@code cdk synth}/{@code cdk deploy} at the repository root (see cdk.json). An invalid
     * configuration fails with every problem listed; an invalid catalog fails with the catalog's
     * own message ({@code InvalidCatalogException}: each problem with its JSON path and fix).
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        App app = newApp();
        PipelineConfig config = PipelineConfig.fromContext(
                app.getNode().tryGetContext(PipelineConfig.ENVIRONMENTS_KEY),
                app.getNode().tryGetContext(PipelineConfig.ONLY_KEY),
                app.getNode().tryGetContext(PipelineConfig.DELIVERY_KEY),
                CUSTOM_RESOURCE_JAR.toAbsolutePath(),
                CONSUMER_JAR.toAbsolutePath());
        TableCatalog catalog = TableCatalog.load();
        Map<String, PipelineStage> stages = addStages(app, config, catalog);
        // last: the pipeline synthesises each stage when it adds it
        addDelivery(app, config, stages);
        app.synth();
    }

    /**
     * Adds one stage per configured environment, with the environment name as its id.
     *
     * @param scope   the app
     * @param config  the validated configuration
     * @param catalog the validated table catalog
     * @return the stages by environment name, in configuration order
     */
    public static Map<String, PipelineStage> addStages(Construct scope, PipelineConfig config, TableCatalog catalog) {
        Map<String, PipelineStage> stages = new LinkedHashMap<>();
        for (EnvironmentConfig environment : config.environments()) {
            PipelineStage stage = new PipelineStage(
                    scope,
                    environment.name(),
                    new PipelineStageProps(environment, config.customResourceJar(), config.consumerJar(), catalog));
            stages.put(environment.name(), stage);
        }
        return stages;
    }

    /**
     * Adds the delivery pipeline stack ({@value #DELIVERY_STACK_ID}, in the pipeline's account and
     * Region) when {@link PipelineConfig#delivery()} is present. The pipeline deploys the given
     * stages themselves, so call this last: it synthesises each stage it adds, and anything added
     * to a stage afterwards (aspects, suppressions) would be missing from the pipeline's assembly.
     *
     * @param scope  the app
     * @param config the validated configuration
     * @param stages the stages {@link #addStages} returned
     * @return the pipeline stack, or empty when no pipeline is configured (or {@code only} is set)
     */
    public static Optional<DeliveryPipelineStack> addDelivery(
            Construct scope, PipelineConfig config, Map<String, PipelineStage> stages) {
        return config.delivery()
                .map(delivery -> new DeliveryPipelineStack(
                        scope, DELIVERY_STACK_ID, new DeliveryPipelineStackProps(delivery, stages)));
    }
}
