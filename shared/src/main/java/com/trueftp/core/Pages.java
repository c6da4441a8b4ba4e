package com.trueftp.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Offset pages of what a repository reads in order: the items skipped are read, never converted or kept. */
public final class Pages {
    private Pages() {
    }

    /** Items {@code offset} to {@code offset + limit - 1}, converted; stops reading once the page is full. */
    public static <I, T> List<T> slice(Iterable<I> items, int offset, int limit, Function<I, T> convert) {
        List<T> page = new ArrayList<>(limit);
        int skipped = 0;
        for (I item : items) {
            if (skipped < offset) {
                skipped++;
            } else if (page.size() < limit) {
                page.add(convert.apply(item));
            } else {
                break;
            }
        }
        return page;
    }
}
