package com.dsqlcdc.consumer.decode;

import java.util.Objects;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * One chunked image of a {@code chunked} main record: {@code chunked.before} or {@code chunked.after}
 * (README, "Chunked changes"). Its JSON text arrives as {@code totalFragments} fragment records with this
 * {@code chunkId}; the concatenated slices must have CRC32C {@code crc32c}.
 *
 * @param image          {@code before} or {@code after}
 * @param chunkId        the fragments' {@code chunk_id}
 * @param totalFragments how many fragments make the image
 * @param crc32c         CRC32C of the reassembled image text (UTF-8), unsigned
 */
public record ChunkRef(String image, String chunkId, int totalFragments, long crc32c) {

    /** Upper bound on fragments per image: far above any real split (a row is at most 2 MiB), low enough to bound work. */
    public static final int MAX_FRAGMENTS = 100_000;
    /** Chunk ids become S3 key segments: only characters that need no escaping. */
    private static final Pattern CHUNK_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    public ChunkRef {
        Objects.requireNonNull(image, "image");
        if (!isValidChunkId(chunkId)) {
            throw new IllegalArgumentException("invalid chunk id: " + chunkId);
        }
        if (totalFragments < 1 || totalFragments > MAX_FRAGMENTS) {
            throw new IllegalArgumentException("totalFragments out of range: " + totalFragments);
        }
    }

    /** @return whether {@code id} can name a chunk set (and an S3 key segment) */
    public static boolean isValidChunkId(String id) {
        return id != null && CHUNK_ID.matcher(id).matches();
    }

    /** @return the unsigned 32-bit value of a decimal CRC32C string, or empty if it is not one */
    public static OptionalLong parseCrc32c(String text) {
        if (text == null
                || text.isEmpty()
                || text.length() > 10
                || !text.chars().allMatch(Character::isDigit)) {
            return OptionalLong.empty();
        }
        long value = Long.parseLong(text);
        return value <= 0xFFFF_FFFFL ? OptionalLong.of(value) : OptionalLong.empty();
    }
}
