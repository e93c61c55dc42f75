package com.dsqlcdc.infra.config;

import com.dsqlcdc.infra.GeneratedSection;
import com.dsqlcdc.infra.config.schema.Key;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the configuration tables of README.md and docs/delivery-pipeline.md from
 * {@link EnvironmentSchema} and {@link DeliverySchema}, between the lines {@code <!-- <name>:begin -->}
 * and {@code <!-- <name>:end -->}. Run it with {@value #COMMAND} (from the repository root); a
 * test fails while a table is stale.
 */
public final class ConfigTable {

    /** Regenerates the tables. */
    public static final String COMMAND = "mvn -B -q -pl infra -am -DskipTests package exec:exec -Dexec.executable=java"
            + " '-Dexec.args=-cp %classpath com.dsqlcdc.infra.config.ConfigTable'";
    /** README.md's table of {@value PipelineConfig#ENVIRONMENTS_KEY}. */
    static final String ENVIRONMENTS = "config-table";
    /** docs/delivery-pipeline.md's table of {@value PipelineConfig#DELIVERY_KEY}. */
    static final String DELIVERY = "delivery-table";

    private ConfigTable() {}

    /** @param args the repository root (default: the working directory, or its parent when run in infra/) */
    public static void main(String[] args) throws IOException {
        Path root =
                args.length > 0 ? Path.of(args[0]) : Files.exists(Path.of("cdk.json")) ? Path.of(".") : Path.of("..");
        for (Map.Entry<Path, String> file : files(root).entrySet()) {
            Files.writeString(file.getKey(), regenerate(Files.readString(file.getKey()), file.getValue()));
        }
    }

    /** @return each generated file under {@code root} and the name of its table */
    static Map<Path, String> files(Path root) {
        return Map.of(
                root.resolve("README.md"),
                ENVIRONMENTS,
                root.resolve("docs").resolve("delivery-pipeline.md"),
                DELIVERY);
    }

    /** @return {@code document} with the table {@code name} written anew between its markers */
    static String regenerate(String document, String name) {
        return GeneratedSection.replace(document, name, table(name));
    }

    /** @return the Markdown table {@code name} */
    static String table(String name) {
        return name.equals(ENVIRONMENTS)
                ? render(
                        "key (under `" + PipelineConfig.ENVIRONMENTS_KEY + ".<env>`)",
                        EnvironmentSchema.ENVIRONMENT.rows())
                : render(
                        "key (under `" + PipelineConfig.DELIVERY_KEY + "`)",
                        DeliverySchema.schema(Optional.empty(), Map.of()).rows());
    }

    private static String render(String keyHeader, List<Key.Row> rows) {
        StringBuilder table = new StringBuilder(
                "| " + keyHeader + " | default | allowed | meaning |\n" + "| --- | --- | --- | --- |\n");
        for (Key.Row row : rows) {
            table.append("| `")
                    .append(row.key())
                    .append("` | ")
                    .append(row.defaultValue())
                    .append(" | ")
                    .append(row.allowed()
                            .replace("<", "&lt;")
                            .replace(">", "&gt;")
                            .replace("|", "\\|"))
                    .append(" | ")
                    .append(row.help())
                    .append(" |\n");
        }
        return table.toString();
    }
}
