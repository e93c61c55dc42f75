package com.dsqlcdc.backfill;

import com.dsqlcdc.sql.catalog.CatalogTable;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.dsqlcdc.sql.current.StateTable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/** The catalog tables a job works on, named as the commands name them, and the catalog's fingerprint. */
public final class BackfillCatalog {

    private BackfillCatalog() {}

    /**
     * @param catalog the catalog
     * @return SHA-256 of every table's state-table shape: equal exactly when two catalogs type every
     *         table alike (a job refuses to go on under another catalog)
     */
    public static String shape(TableCatalog catalog) {
        String shapes =
                catalog.tables().stream().map(t -> new StateTable(t).shape()).collect(Collectors.joining("\n"));
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(shapes.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /**
     * @param catalog the catalog
     * @param names   {@code schema.table} or {@code table} (schema {@code public}); empty: every table
     * @return the tables, in the order named (catalog order when none is named)
     * @throws IllegalArgumentException naming every table the catalog does not hold, and what it holds
     */
    public static List<CatalogTable> select(TableCatalog catalog, List<String> names) {
        if (names == null || names.isEmpty()) {
            return catalog.tables();
        }
        List<CatalogTable> tables = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String name : names) {
            String qualified = name.contains(".") ? name : "public." + name;
            int dot = qualified.indexOf('.');
            catalog.find(qualified.substring(0, dot), qualified.substring(dot + 1))
                    .ifPresentOrElse(
                            t -> {
                                if (!tables.contains(t)) {
                                    tables.add(t);
                                }
                            },
                            () -> unknown.add(name));
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("not in the catalog: " + String.join(", ", unknown)
                    + "; the catalog has "
                    + catalog.tables().stream().map(CatalogTable::qualifiedName).collect(Collectors.joining(", "))
                    + " (add a table to sql/catalog.json first: tools/backfill catalog)");
        }
        return tables;
    }

    /** @return the catalog table named {@code schema.table} */
    public static CatalogTable table(TableCatalog catalog, String qualified) {
        return select(catalog, List.of(qualified)).get(0);
    }
}
