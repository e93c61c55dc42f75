package com.dsqlcdc.backfill.command;

import com.dsqlcdc.backfill.SourceCatalog;
import com.dsqlcdc.backfill.SourceReader;
import com.dsqlcdc.clients.dsql.SqlConnector;
import com.dsqlcdc.contract.env.BackfillEnvironment;
import com.dsqlcdc.sql.catalog.CatalogColumn;
import com.dsqlcdc.sql.catalog.CatalogTable;
import com.dsqlcdc.sql.catalog.ColumnType;
import com.dsqlcdc.sql.catalog.InvalidCatalogException;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code backfill catalog}: sql/catalog.json from the source's own catalog. The tables already in the
 * file are brought up to date with the source (primary key, columns in the source's order, their
 * types), the tables named are added, and with {@code --all} every source table with a primary key;
 * a table the file holds and the source does not is kept (removing a captured table is a decision
 * for its owner, not a side effect). The diff is printed, one line per difference; {@code --check}
 * prints it and writes nothing.
 */
@Command(
        name = "catalog",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = BackfillCommand.USAGE,
        description = {
            "Write or update sql/catalog.json from the source's catalog: the tables in the file brought up to date"
                    + " (primary key, columns, types), the tables named added (--all: every source table with a"
                    + " primary key). Prints the diff: '+' added, '-' removed, '~' changed, '!' what cannot be captured.",
            "With --check: only the diff, and exit code 2 when there is one. Then rebuild tools.jar and deploy (the"
                    + " warehouse's tables follow the catalog), and resync an added table.",
            "Reads pg_catalog and information_schema, which show a role only the tables it may read: connect as"
                    + " admin (the default; dsql:DbConnectAdmin) or as a role granted SELECT on the new tables."
        })
final class CatalogCommand implements Callable<Integer> {

    /** The role that sees every table: DSQL's admin. */
    static final String ADMIN = SqlConnector.ADMIN_ROLE;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Option(
            names = "--role",
            paramLabel = "ROLE",
            order = 3,
            description = "The database role to read the catalog as (default: ${DEFAULT-VALUE}).")
    String role = ADMIN;

    @Option(
            names = "--file",
            paramLabel = "FILE",
            order = 4,
            description = "The catalog file to update (default: ${DEFAULT-VALUE}, from the repository's root).")
    Path file = Path.of("sql", "catalog.json");

    @Option(names = "--all", order = 5, description = "Add every source table with a primary key.")
    boolean all;

    @Option(names = "--check", order = 6, description = "Print the diff only; exit code 2 when there is one.")
    boolean check;

    @Parameters(paramLabel = "TABLE", arity = "0..*", description = "Source tables to add: schema.table or table.")
    List<String> tables = new ArrayList<>();

    private final BackfillCommand.Wiring wiring;

    CatalogCommand(BackfillCommand.Wiring wiring) {
        this.wiring = wiring;
    }

    @Override
    public Integer call() throws Exception {
        CommandLine commandLine = spec.commandLine();
        var regionName = cluster.check(commandLine);
        if (!role.equals(ADMIN)) {
            Options.check(commandLine, "--role", BackfillEnvironment.SOURCE_DATABASE_ROLE, role);
        }
        JsonNode existing = null;
        TableCatalog current = null;
        if (Files.exists(file)) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            try {
                current = TableCatalog.parse(text, file.toString());
                existing = JSON.readTree(text);
            } catch (InvalidCatalogException e) {
                throw Options.invalid(commandLine, "--file", e.getMessage() + " (fix it first, or move it away)");
            }
        } else if (check) {
            throw Options.invalid(commandLine, "--file", file + " does not exist: there is nothing to check");
        }
        SourceCatalog source;
        try (BackfillClients clients = wiring.clients().apply(regionName);
                SourceReader reader = new SourceReader(clients.source(cluster.clusterId, role), wiring.clock())) {
            source = SourceCatalog.read(reader);
        }

        List<String> wanted = new ArrayList<>();
        if (current != null) {
            current.tables().forEach(t -> wanted.add(t.qualifiedName()));
        }
        for (String name : tables) {
            String qualified = name.contains(".") ? name : "public." + name;
            if (source.table(qualified).isEmpty()) {
                throw Options.invalid(
                        commandLine,
                        "TABLE",
                        qualified + " is not in the source (or the role " + role + " may not read it); the source has "
                                + String.join(", ", source.tables().keySet()));
            }
            if (!wanted.contains(qualified)) {
                wanted.add(qualified);
            }
        }
        if (all || current == null && tables.isEmpty()) {
            source.tables().values().stream()
                    .filter(t -> !t.primaryKey().isEmpty())
                    .map(SourceCatalog.Table::qualifiedName)
                    .filter(t -> !wanted.contains(t))
                    .forEach(wanted::add);
        }

        List<String> diff = new ArrayList<>();
        List<CatalogTable> result = new ArrayList<>();
        for (String name : wanted) {
            Optional<CatalogTable> before =
                    current == null ? Optional.empty() : current.find(schema(name), table(name));
            Optional<SourceCatalog.Table> fromSource = source.table(name);
            if (fromSource.isEmpty()) {
                diff.add("! " + name
                        + ": in the catalog, not in the source: kept (remove it by hand if it was dropped)");
                before.ifPresent(result::add);
                continue;
            }
            Optional<CatalogTable> after = captured(fromSource.get(), diff);
            if (after.isEmpty()) {
                before.ifPresent(result::add);
                if (before.isPresent()) {
                    diff.add("! " + name + ": kept as it was");
                }
                continue;
            }
            result.add(after.get());
            compare(before, after.get(), diff);
        }

        PrintWriter out = commandLine.getOut();
        diff.forEach(out::println);
        boolean changed = diff.stream().anyMatch(d -> !d.startsWith("!"));
        if (!changed) {
            out.println(file + " matches the source" + (diff.isEmpty() ? "" : " (but see the lines above)"));
        }
        if (check) {
            return changed ? BackfillCommand.DIFFERENCES : BackfillCommand.OK;
        }
        if (changed || current == null) {
            String json = write(existing, result);
            try {
                TableCatalog.parse(json, file.toString());
            } catch (InvalidCatalogException e) {
                throw new IllegalStateException(
                        "the catalog read from the source is not a valid catalog, " + file + " left as it was: "
                                + e.getMessage(),
                        e);
            }
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, json, StandardCharsets.UTF_8);
            out.println("wrote " + file + " (" + result.size() + " tables); rebuild tools.jar and deploy");
        }
        return BackfillCommand.OK;
    }

    /** @return the source table as the catalog can hold it, or empty (with the reason in {@code diff}) */
    private static Optional<CatalogTable> captured(SourceCatalog.Table table, List<String> diff) {
        String name = table.qualifiedName();
        if (table.primaryKey().isEmpty()) {
            diff.add("! " + name + ": has no primary key, so it cannot be captured (CDC deletes carry no key)");
            return Optional.empty();
        }
        List<CatalogColumn> columns = new ArrayList<>();
        for (SourceCatalog.Column column : table.columns()) {
            ColumnType.Parsed type = SourceCatalog.catalogType(column.type());
            if (type.type().isEmpty()) {
                if (table.primaryKey().contains(column.name())) {
                    diff.add("! " + name + ": key column " + column.name() + " has type " + column.type()
                            + ", which the catalog cannot hold (" + type.error() + ")");
                    return Optional.empty();
                }
                diff.add("! " + name + "." + column.name() + ": type " + column.type() + " cannot be captured ("
                        + type.error() + "): left out");
                continue;
            }
            columns.add(new CatalogColumn(column.name(), type.type().get()));
        }
        return Optional.of(new CatalogTable(table.schema(), table.name(), table.primaryKey(), columns));
    }

    private static void compare(Optional<CatalogTable> before, CatalogTable after, List<String> diff) {
        String name = after.qualifiedName();
        if (before.isEmpty()) {
            diff.add("+ " + name + " primary key " + after.primaryKey());
            after.columns()
                    .forEach(c -> diff.add(
                            "+ " + name + "." + c.name() + " " + c.type().spelling()));
            return;
        }
        CatalogTable old = before.get();
        if (!old.primaryKey().equals(after.primaryKey())) {
            diff.add("~ " + name + " primary key " + old.primaryKey() + " -> " + after.primaryKey());
        }
        Map<String, CatalogColumn> oldColumns = new LinkedHashMap<>();
        old.columns().forEach(c -> oldColumns.put(c.name(), c));
        for (CatalogColumn column : after.columns()) {
            CatalogColumn was = oldColumns.remove(column.name());
            if (was == null) {
                diff.add("+ " + name + "." + column.name() + " " + column.type().spelling());
            } else if (!was.type().equals(column.type())) {
                diff.add("~ " + name + "." + column.name() + " " + was.type().spelling() + " -> "
                        + column.type().spelling());
            }
        }
        oldColumns
                .values()
                .forEach(c ->
                        diff.add("- " + name + "." + c.name() + " " + c.type().spelling()));
    }

    /**
     * @return the catalog as sql/catalog.json lays it out (a table's key on one line, one line per
     *         column), keeping the file's top-level {@code $comment}
     */
    static String write(JsonNode existing, List<CatalogTable> tables) throws JsonProcessingException {
        StringBuilder out = new StringBuilder("{\n");
        if (existing != null && existing.has("$comment")) {
            out.append("  \"$comment\": ")
                    .append(JSON.writeValueAsString(existing.get("$comment")))
                    .append(",\n");
        }
        out.append("  \"tables\": [\n");
        for (int t = 0; t < tables.size(); t++) {
            CatalogTable table = tables.get(t);
            out.append("    {\n");
            out.append("      \"schema\": ").append(q(table.schema())).append(",\n");
            out.append("      \"name\": ").append(q(table.name())).append(",\n");
            out.append("      \"primaryKey\": [")
                    .append(table.primaryKey().stream().map(CatalogCommand::q).collect(Collectors.joining(", ")))
                    .append("],\n");
            out.append("      \"columns\": [\n");
            for (int c = 0; c < table.columns().size(); c++) {
                CatalogColumn column = table.columns().get(c);
                out.append("        {\"name\": ")
                        .append(q(column.name()))
                        .append(", \"type\": ")
                        .append(q(column.type().spelling()))
                        .append("}")
                        .append(c < table.columns().size() - 1 ? ",\n" : "\n");
            }
            out.append("      ]\n");
            out.append("    }").append(t < tables.size() - 1 ? ",\n" : "\n");
        }
        out.append("  ]\n}\n");
        return out.toString();
    }

    private static String q(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string is always JSON", e);
        }
    }

    private static String schema(String qualified) {
        return qualified.substring(0, qualified.indexOf('.'));
    }

    private static String table(String qualified) {
        return qualified.substring(qualified.indexOf('.') + 1);
    }
}
