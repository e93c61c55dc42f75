package com.dsqlcdc.infra;

import com.dsqlcdc.infra.config.EnvironmentConfig;
import com.dsqlcdc.infra.config.PipelineConfig;
import com.dsqlcdc.sql.catalog.TableCatalog;
import java.nio.file.Path;
import software.amazon.awscdk.App;
import software.constructs.Construct;

/**
 * The CDK app. {@code main} is the only place that reads inputs: it validates
 * {@value PipelineConfig#ENVIRONMENTS_KEY} (and {@value PipelineConfig#ONLY_KEY}) into a
 * {@link PipelineConfig} once, loads the table catalog ({@code sql/catalog.json}), then adds one
 * {@link PipelineStage} per environment.
 */
public final class DsqlCdcApp {

    /** Where the custom-resource module's build puts its shaded jar, relative to the repository root. */
    static final Path CUSTOM_RESOURCE_JAR = Path.of("custom-resource", "target", "custom-resource.jar");
    /** Where the lambda module's build puts the consumer's shaded jar, relative to the repository root. */
    static final Path CONSUMER_JAR = Path.of("lambda", "target", "consumer.jar");

    private DsqlCdcApp() {
    }

    /**
     * Run by {@code cdk synth}/{@code cdk deploy} at the repository root (see cdk.json). An invalid
     * configuration fails with every problem listed; an invalid catalog fails with the catalog's
     * own message ({@code InvalidCatalogException}: each problem with its JSON path and fix).
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        App app = new App();
        PipelineConfig config = PipelineConfig.fromContext(
                app.getNode().tryGetContext(PipelineConfig.ENVIRONMENTS_KEY),
                app.getNode().tryGetContext(PipelineConfig.ONLY_KEY),
                CUSTOM_RESOURCE_JAR.toAbsolutePath(),
                CONSUMER_JAR.toAbsolutePath());
        TableCatalog catalog = TableCatalog.load();
        addStages(app, config, catalog);
        app.synth();
    }

    /**
     * Adds one stage per configured environment, with the environment name as its id.
     *
     * @param scope   the app
     * @param config  the validated configuration
     * @param catalog the validated table catalog
     */
    public static void addStages(Construct scope, PipelineConfig config, TableCatalog catalog) {
        for (EnvironmentConfig environment : config.environments()) {
            new PipelineStage(scope, environment.name(), PipelineStageProps.builder()
                    .config(environment)
                    .customResourceJar(config.customResourceJar())
                    .consumerJar(config.consumerJar())
                    .catalog(catalog)
                    .build());
        }
    }
}
