package com.dsqlcdc.tail;

/** How an {@link Entry} becomes one line of stdout. */
interface EntryFormat {

    /** @return the line, without its line break */
    String format(Entry entry);

    /** @return a line naming the columns (for stderr), or null */
    String header();
}
