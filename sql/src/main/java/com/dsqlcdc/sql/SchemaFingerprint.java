package com.dsqlcdc.sql;

import com.dsqlcdc.sql.current.StateTable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A SHA-256 of every statement a {@link WarehouseSchema} generates: the DDL, each table's shape and
 * rebuild, the grants. The warehouse-schema resource carries it among its properties, so a change
 * of the generated SQL alone (a new cast, a new grant) is a change of the resource, and the deploy
 * applies it; and the resource's handler, which generates the schema again from the catalog, checks
 * it generated the same (a handler and an app from different builds would not).
 */
public final class SchemaFingerprint {

    private SchemaFingerprint() {}

    /** @return 64 lowercase hex digits */
    public static String of(WarehouseSchema schema) {
        MessageDigest digest = sha256();
        schema.statements().forEach(sql -> add(digest, "statement", sql));
        for (StateTable table : schema.tables()) {
            add(digest, "table", table.stateTable());
            add(digest, "shape", table.shape());
            schema.rebuildStatements(table).forEach(sql -> add(digest, "rebuild", sql));
        }
        schema.grantStatements().forEach(sql -> add(digest, "grant", sql));
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Each piece with its kind and length, so no two different lists digest the same bytes. */
    private static void add(MessageDigest digest, String kind, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        digest.update((kind + ":" + bytes.length + ":").getBytes(StandardCharsets.UTF_8));
        digest.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
