package com.dsqlcdc.consumer.decode;

/**
 * Whether a record's bytes are what DSQL writes: JSON text in UTF-8 (RFC 8259 §8.1: JSON exchanged
 * between systems is UTF-8, without a byte-order mark). Anything else (UTF-16 or UTF-32, with or
 * without a byte-order mark, or bytes that are not valid UTF-8) is refused before parsing: Jackson
 * would otherwise detect UTF-16/32 and parse it (with character offsets where the decoder keeps
 * byte offsets), and a Java string built from invalid UTF-8 would silently replace the bad bytes.
 *
 * <p>Valid UTF-8 here is RFC 3629's: no overlong forms, no surrogates (U+D800-U+DFFF), nothing above
 * U+10FFFF. A NUL byte is refused too: JSON text can only hold U+0000 escaped, and in the first
 * bytes it is the mark of UTF-16/32 text without a byte-order mark.
 */
final class Utf8Text {

    private Utf8Text() {}

    /**
     * @param data a record's bytes
     * @return what is wrong with them as UTF-8 JSON text, or null when nothing is
     */
    static String problem(byte[] data) {
        String bom = byteOrderMark(data);
        if (bom != null) {
            return "it starts with a " + bom + " byte-order mark";
        }
        String unmarked = unmarkedWideEncoding(data);
        if (unmarked != null) {
            return "it is " + unmarked + " text (no byte-order mark)";
        }
        int n = data.length;
        int i = 0;
        while (i < n) {
            int b = data[i] & 0xFF;
            if (b < 0x80) {
                if (b == 0) {
                    return "a NUL byte at offset " + i + " (UTF-16 or UTF-32 text?)";
                }
                i++;
                continue;
            }
            int length;
            int secondMin = 0x80;
            int secondMax = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                length = 2;
            } else if (b >= 0xE0 && b <= 0xEF) {
                length = 3;
                if (b == 0xE0) {
                    secondMin = 0xA0; // else overlong
                } else if (b == 0xED) {
                    secondMax = 0x9F; // else a surrogate
                }
            } else if (b >= 0xF0 && b <= 0xF4) {
                length = 4;
                if (b == 0xF0) {
                    secondMin = 0x90; // else overlong
                } else if (b == 0xF4) {
                    secondMax = 0x8F; // else above U+10FFFF
                }
            } else {
                return invalid(data, i, 1);
            }
            if (i + length > n) {
                return "invalid UTF-8 at byte offset " + i + ": a " + length + "-byte sequence cut short by the end";
            }
            int second = data[i + 1] & 0xFF;
            if (second < secondMin || second > secondMax) {
                return invalid(data, i, 2);
            }
            for (int k = 2; k < length; k++) {
                int next = data[i + k] & 0xFF;
                if (next < 0x80 || next > 0xBF) {
                    return invalid(data, i, k + 1);
                }
            }
            i += length;
        }
        return null;
    }

    private static String byteOrderMark(byte[] d) {
        if (starts(d, 0x00, 0x00, 0xFE, 0xFF)) {
            return "UTF-32BE";
        }
        if (starts(d, 0xFF, 0xFE, 0x00, 0x00)) {
            return "UTF-32LE";
        }
        if (starts(d, 0xFE, 0xFF)) {
            return "UTF-16BE";
        }
        if (starts(d, 0xFF, 0xFE)) {
            return "UTF-16LE";
        }
        if (starts(d, 0xEF, 0xBB, 0xBF)) {
            return "UTF-8";
        }
        return null;
    }

    /** JSON text starts with an ASCII character: its zero bytes tell the width and the order. */
    private static String unmarkedWideEncoding(byte[] d) {
        if (d.length >= 4 && d[0] == 0 && d[1] == 0 && d[2] == 0 && d[3] != 0) {
            return "UTF-32BE";
        }
        if (d.length >= 4 && d[0] != 0 && d[1] == 0 && d[2] == 0 && d[3] == 0) {
            return "UTF-32LE";
        }
        if (d.length >= 2 && d[0] == 0 && d[1] != 0) {
            return "UTF-16BE";
        }
        if (d.length >= 2 && d[0] != 0 && d[1] == 0) {
            return "UTF-16LE";
        }
        return null;
    }

    private static boolean starts(byte[] d, int... prefix) {
        if (d.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((d[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static String invalid(byte[] d, int at, int count) {
        StringBuilder bytes = new StringBuilder();
        for (int k = at; k < Math.min(d.length, at + count); k++) {
            bytes.append(bytes.length() == 0 ? "" : " ").append(String.format("0x%02X", d[k] & 0xFF));
        }
        return "invalid UTF-8 at byte offset " + at + " (" + bytes + ")";
    }
}
