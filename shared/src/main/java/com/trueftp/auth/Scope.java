package com.trueftp.auth;

import com.trueftp.core.Identified;

import java.util.Optional;

/** What a key may do: read = every GET endpoint, write = create / update / delete. */
public enum Scope implements Identified {
    READ, WRITE;

    public static Optional<Scope> parse(String id) {
        return Identified.parse(Scope.class, id);
    }
}
