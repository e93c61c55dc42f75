package com.dsqlcdc.infra;

/**
 * A generated part of a document: the lines between {@code <!-- <name>:begin -->} and
 * {@code <!-- <name>:end -->}, rewritten by a generator and checked by a test that fails while
 * the part is stale.
 */
public final class GeneratedSection {

    private GeneratedSection() {}

    /**
     * @param document the document
     * @param name     the section's name in its markers
     * @param content  the new content (ending with a line break)
     * @return {@code document} with the section's content replaced
     * @throws IllegalArgumentException naming the markers, when the document lacks them
     */
    public static String replace(String document, String name, String content) {
        int[] bounds = bounds(document, name);
        return document.substring(0, bounds[0]) + content + document.substring(bounds[1]);
    }

    /**
     * @param document the document
     * @param name     the section's name in its markers
     * @return the section's current content
     * @throws IllegalArgumentException naming the markers, when the document lacks them
     */
    public static String read(String document, String name) {
        int[] bounds = bounds(document, name);
        return document.substring(bounds[0], bounds[1]);
    }

    /** @return where the section's content starts and ends */
    private static int[] bounds(String document, String name) {
        String begin = "<!-- " + name + ":begin -->\n";
        String end = "<!-- " + name + ":end -->";
        int from = document.indexOf(begin);
        int to = document.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException(
                    "no \"" + begin.strip() + "\" ... \"" + end + "\" lines to write the section between");
        }
        return new int[] {from + begin.length(), to};
    }
}
