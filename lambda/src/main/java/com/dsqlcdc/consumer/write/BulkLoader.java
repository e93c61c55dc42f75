package com.dsqlcdc.consumer.write;

import com.dsqlcdc.consumer.write.CopyFileWriter.Line;
import com.dsqlcdc.sql.CdcEventsTable;
import com.dsqlcdc.sql.Identifiers;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The bulk path: stages rows as one gzip JSON-lines object in the staging bucket and plans the
 * one {@code COPY} that loads it into {@code cdc.cdc_events}. The COPY runs through the same
 * statement runner as the INSERTs (waited for to FINISHED), so acknowledgement works the same
 * way: its records are done only when Redshift says FINISHED. A COPY loads all of its lines or
 * none (no MAXERROR), so a half-loaded file cannot be acknowledged.
 *
 * <p>The key is derived from the content alone ({@code staging/YYYY/MM/DD/HH/<shard>/<first
 * seq>-<last seq>-<sha256 prefix>.jsonl.gz}, the hour being the first row's commit time), so a
 * re-delivered batch overwrites its own object instead of adding one, and no key is a prefix of
 * another (COPY reads every object under the prefix it is given). The bucket's lifecycle rule
 * expires staged objects.
 */
public final class BulkLoader {

    /** Prefix of every staged object (the COPY role can read only under it). */
    public static final String PREFIX = "staging/";

    private static final DateTimeFormatter HOUR =
            DateTimeFormatter.ofPattern("yyyy/MM/dd/HH").withZone(ZoneOffset.UTC);
    private static final String COLUMNS =
            CdcEventsTable.INSERT_COLUMNS.stream().map(Identifiers::quote).collect(Collectors.joining(", "));

    private final S3Client s3;
    private final String bucket;
    private final String copyRoleArn;
    private final CopyFileWriter files;

    /**
     * @param s3          the S3 client (built once)
     * @param bucket      the staging bucket
     * @param copyRoleArn the role attached to the namespace that can read the staging bucket
     * @param files       JSON-lines writing
     */
    public BulkLoader(S3Client s3, String bucket, String copyRoleArn, CopyFileWriter files) {
        this.s3 = s3;
        this.bucket = bucket;
        this.copyRoleArn = copyRoleArn;
        this.files = files;
    }

    /**
     * Writes the file and returns the COPY that loads it.
     *
     * @param lines rows that each {@link Line#fits}, in batch order (not empty)
     * @return the COPY statement, naming the positions of every row it loads
     * @throws RuntimeException when the object could not be stored (the rows are then not done)
     */
    public PlannedStatement stage(List<Line> lines) {
        byte[] body = files.gzip(lines);
        Line first = lines.get(0);
        Line last = lines.get(lines.size() - 1);
        String key = PREFIX
                + HOUR.format(Instant.ofEpochSecond(0, first.row().change().commitTsNs())) + "/"
                + first.row().shardId() + "/" + first.row().sequenceNumber() + "-"
                + last.row().sequenceNumber() + "-" + sha256Prefix(body) + ".jsonl.gz";
        // Content type only: no Content-Encoding, so no client ever un-gzips it on the way; COPY is told GZIP.
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/gzip"), RequestBody.fromBytes(body));
        List<Integer> positions = new ArrayList<>(lines.size());
        for (Line line : lines) {
            positions.add(line.row().position());
        }
        return new PlannedStatement(copySql(bucket, key, copyRoleArn), Map.of(), positions);
    }

    /**
     * The COPY for one staged object. {@code FORMAT JSON 'auto'} matches each line's keys to the
     * column list (the other columns take their defaults: {@code ingested_at}); GZIP because the
     * file is; {@code TIMEFORMAT 'auto'} for the microseconds of {@code commit_ts}; COMPUPDATE and
     * STATUPDATE off because a small COPY every few seconds must not trigger compression analysis
     * or ANALYZE each time. No MAXERROR, TRUNCATECOLUMNS or ACCEPTINVCHARS: a row that does not
     * load fails the whole COPY instead of being dropped or altered.
     */
    static String copySql(String bucket, String key, String roleArn) {
        return "COPY " + CdcEventsTable.qualifiedName() + " (" + COLUMNS + ")\n"
                + "FROM " + literal("s3://" + bucket + "/" + key) + "\n"
                + "IAM_ROLE " + literal(roleArn) + "\n"
                + "FORMAT JSON 'auto'\n"
                + "GZIP\n"
                + "TIMEFORMAT 'auto'\n"
                + "COMPUPDATE OFF\n"
                + "STATUPDATE OFF";
    }

    /** A SQL string literal. Bucket, key and ARN come from our own config and shard/sequence ids, never from record data. */
    private static String literal(String value) {
        if (value.indexOf('\'') >= 0 || value.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("refusing a quote or backslash in a COPY literal: " + value);
        }
        return "'" + value + "'";
    }

    private static String sha256Prefix(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
