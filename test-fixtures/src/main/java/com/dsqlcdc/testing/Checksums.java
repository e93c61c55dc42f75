package com.dsqlcdc.testing;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * The S3 flexible checksums ({@code x-amz-checksum-<algorithm>}: CRC32, CRC32C, CRC64NVME, SHA1,
 * SHA256) and Content-MD5, computed the way S3 encodes them: the checksum's big-endian bytes in
 * base64. CRC64NVME is implemented here (the SDK's own needs the CRT); its reference check value
 * for "123456789" is 0xAE8B14860A799888.
 */
public final class Checksums {

    /** The algorithms S3 accepts, by their names in {@code x-amz-sdk-checksum-algorithm}. */
    public static final List<String> ALGORITHMS = List.of("CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256");

    private static final long CRC64NVME_POLY_REFLECTED = 0x9A6C9329AC4BC9B5L;
    private static final long[] CRC64NVME_TABLE = new long[256];

    static {
        for (int i = 0; i < 256; i++) {
            long crc = i;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ CRC64NVME_POLY_REFLECTED : crc >>> 1;
            }
            CRC64NVME_TABLE[i] = crc;
        }
    }

    private Checksums() {}

    /** The header (and trailer) name carrying {@code algorithm}'s checksum. */
    public static String headerName(String algorithm) {
        return "x-amz-checksum-" + algorithm.toLowerCase(Locale.ROOT);
    }

    /** The algorithm named by an {@code x-amz-checksum-*} header, or null if it names none. */
    public static String algorithmOfHeader(String headerName) {
        for (String algorithm : ALGORITHMS) {
            if (headerName(algorithm).equalsIgnoreCase(headerName)) {
                return algorithm;
            }
        }
        return null;
    }

    /** {@code algorithm}'s checksum of {@code data}, base64 of its big-endian bytes. */
    public static String base64(String algorithm, byte[] data) {
        byte[] bytes;
        switch (algorithm.toUpperCase(Locale.ROOT)) {
            case "CRC32": {
                CRC32 crc = new CRC32();
                crc.update(data);
                bytes = ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
                break;
            }
            case "CRC32C": {
                CRC32C crc = new CRC32C();
                crc.update(data);
                bytes = ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
                break;
            }
            case "CRC64NVME":
                bytes = ByteBuffer.allocate(8).putLong(crc64nvme(data)).array();
                break;
            case "SHA1":
                bytes = digest("SHA-1", data);
                break;
            case "SHA256":
                bytes = digest("SHA-256", data);
                break;
            case "MD5":
                bytes = digest("MD5", data);
                break;
            default:
                throw new IllegalArgumentException("unknown checksum algorithm " + algorithm);
        }
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** CRC-64/NVME: reflected, polynomial 0xAD93D23594C93659, initial value and final XOR all ones. */
    public static long crc64nvme(byte[] data) {
        long crc = ~0L;
        for (byte b : data) {
            crc = CRC64NVME_TABLE[(int) ((crc ^ b) & 0xFF)] ^ (crc >>> 8);
        }
        return ~crc;
    }

    /** The hex MD5 of {@code data}: S3's ETag of a single-part upload (without quotes). */
    public static String md5Hex(byte[] data) {
        return SigV4Verifier.hex(digest("MD5", data));
    }

    private static byte[] digest(String name, byte[] data) {
        try {
            return MessageDigest.getInstance(name).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
