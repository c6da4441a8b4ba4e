package com.trueftp.account;

import java.util.Locale;
import java.util.Optional;

public enum AccountStatus {
    ACTIVE, SUSPENDED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<AccountStatus> parse(String value) {
        for (AccountStatus s : values()) {
            if (s.id().equals(value)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
