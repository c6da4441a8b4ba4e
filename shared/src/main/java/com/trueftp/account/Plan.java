package com.trueftp.account;

import com.trueftp.core.Identified;

import java.util.Optional;

/**
 * The plans and everything they allow, in one place: quotas, the highest hourly limit a key may have,
 * and the edge throttle (API Gateway usage plan: requests per second and burst, per key).
 */
public enum Plan implements Identified {
    /** The free plan runs FTP only; the REST API answers its keys 403, after the same edge throttle. */
    FREE(false, 1, gib(1), 1_000, 2, 4),
    PRO(true, 25, gib(100), 10_000, 20, 40),
    BUSINESS(true, 250, gib(1024), 100_000, 100, 200);

    private final boolean apiAccess;
    private final int ftpUserLimit;
    private final long storageBytesLimit;
    private final int maxKeyRateLimit;
    private final int throttleRatePerSecond;
    private final int throttleBurst;

    Plan(boolean apiAccess, int ftpUserLimit, long storageBytesLimit, int maxKeyRateLimit,
         int throttleRatePerSecond, int throttleBurst) {
        this.apiAccess = apiAccess;
        this.ftpUserLimit = ftpUserLimit;
        this.storageBytesLimit = storageBytesLimit;
        this.maxKeyRateLimit = maxKeyRateLimit;
        this.throttleRatePerSecond = throttleRatePerSecond;
        this.throttleBurst = throttleBurst;
    }

    /** The highest hourly limit a key of this plan may be given. */
    public int maxKeyRateLimit() {
        return maxKeyRateLimit;
    }

    public int throttleRatePerSecond() {
        return throttleRatePerSecond;
    }

    public int throttleBurst() {
        return throttleBurst;
    }

    /**
     * The usage plan's daily quota per key: 24 full hours at the highest hourly limit, so the edge never
     * refuses a request the exact hourly limiter would admit; it only caps runaway keys.
     */
    public int dailyQuota() {
        return 24 * maxKeyRateLimit;
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

    public static Optional<Plan> parse(String id) {
        return Identified.parse(Plan.class, id);
    }

    private static long gib(long n) {
        return n * 1024 * 1024 * 1024;
    }
}
