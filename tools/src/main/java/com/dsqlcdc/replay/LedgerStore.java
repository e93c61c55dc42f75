package com.dsqlcdc.replay;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Keeps each source object's {@link Ledger} in the source's own bucket, at
 * {@code replay-ledger/<source key>.json}: beside what it describes (whoever can read the source
 * can read what became of it) and outside the prefixes the Lambda writes under.
 */
final class LedgerStore {

    /** Prefix of every ledger object. */
    static final String PREFIX = "replay-ledger/";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final S3Client s3;

    LedgerStore(S3Client s3) {
        this.s3 = s3;
    }

    static String key(String sourceKey) {
        return PREFIX + sourceKey + ".json";
    }

    /** @return the ledger of a source object, if it was replayed before */
    Optional<Ledger> read(String bucket, String sourceKey) {
        try {
            byte[] body = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key(sourceKey)))
                    .asByteArray();
            return Optional.of(MAPPER.readValue(body, Ledger.class));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "the ledger s3://" + bucket + "/" + key(sourceKey)
                            + " is not a replay ledger; delete it to replay the object from scratch",
                    e);
        }
    }

    void write(String bucket, String sourceKey, Ledger ledger) {
        try {
            byte[] body = MAPPER.writeValueAsBytes(ledger);
            s3.putObject(
                    b -> b.bucket(bucket).key(key(sourceKey)).contentType("application/json"),
                    RequestBody.fromBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
