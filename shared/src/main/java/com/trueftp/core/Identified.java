package com.trueftp.core;

import java.util.Locale;
import java.util.Optional;

/**
 * An enum that travels by a short id (in JSON, items and command lines): its lower-case name unless it says
 * otherwise.
 */
public interface Identified {
    String name();

    default String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The value with exactly this id. */
    static <E extends Enum<E> & Identified> Optional<E> parse(Class<E> type, String id) {
        for (E value : type.getEnumConstants()) {
            if (value.id().equals(id)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
