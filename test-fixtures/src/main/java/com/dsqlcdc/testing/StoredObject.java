package com.dsqlcdc.testing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * An object held by {@link FakeS3}, as the last PutObject stored it.
 *
 * @param key the object key
 * @param body the payload (decoded from aws-chunked when it was sent that way); a copy
 * @param contentType the Content-Type it was stored with ({@code binary/octet-stream} when none was sent, as on S3)
 * @param headers the object's stored headers, names lower-case, sorted: {@code x-amz-meta-*},
 *     {@code x-amz-server-side-encryption*}, {@code x-amz-storage-class}, {@code x-amz-tagging},
 *     {@code cache-control}, {@code content-disposition}, {@code content-language}, {@code
 *     expires}, and the verified {@code x-amz-checksum-<algorithm>} when the upload carried one.
 *     Only what the client sent: S3's default encryption (AES256) is reported in responses but
 *     not added here.
 */
public record StoredObject(String key, byte[] body, String contentType, Map<String, String> headers) {

    public StoredObject {
        body = body.clone();
        headers = Collections.unmodifiableMap(new TreeMap<>(headers));
    }

    /** A copy of the payload. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The payload as UTF-8 text. */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public int size() {
        return body.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredObject other
                && key.equals(other.key)
                && Arrays.equals(body, other.body)
                && contentType.equals(other.contentType)
                && headers.equals(other.headers);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * key.hashCode() + Arrays.hashCode(body)) + contentType.hashCode()) + headers.hashCode();
    }

    @Override
    public String toString() {
        return "StoredObject[key=" + key + ", " + body.length + " bytes, contentType=" + contentType + ", headers="
                + headers + "]";
    }
}
