package com.trueftp.account;

import java.util.Locale;
import java.util.Optional;

/** The plans and everything they allow, in one place. */
public enum Plan {
    /** The free plan runs FTP only; the REST API is for paid plans. */
    FREE(false, 1, gib(1)),
    PRO(true, 25, gib(100)),
    BUSINESS(true, 250, gib(1024));

    private final boolean apiAccess;
    private final int ftpUserLimit;
    private final long storageBytesLimit;

    Plan(boolean apiAccess, int ftpUserLimit, long storageBytesLimit) {
        this.apiAccess = apiAccess;
        this.ftpUserLimit = ftpUserLimit;
        this.storageBytesLimit = storageBytesLimit;
    }

    public boolean apiAccess() {
        return apiAccess;
    }

    public int ftpUserLimit() {
        return ftpUserLimit;
    }

    public long storageBytesLimit() {
        return storageBytesLimit;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Plan> parse(String value) {
        for (Plan p : values()) {
            if (p.id().equals(value)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static long gib(long n) {
        return n * 1024 * 1024 * 1024;
    }
}
