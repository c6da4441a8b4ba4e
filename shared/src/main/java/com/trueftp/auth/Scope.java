package com.trueftp.auth;

import java.util.Locale;
import java.util.Optional;

/** What a key may do: read = every GET endpoint, write = create / update / delete. */
public enum Scope {
    READ, WRITE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Scope> parse(String value) {
        for (Scope s : values()) {
            if (s.id().equals(value)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
