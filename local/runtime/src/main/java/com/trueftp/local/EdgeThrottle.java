package com.trueftp.local;

import com.trueftp.account.Plan;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The usage plans' per-key throttle as API Gateway applies it before a function runs: a token bucket per
 * usage key that refills at the plan's rate per second and holds at most its burst.
 */
final class EdgeThrottle {
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** Takes one request from the key's bucket; false when the key is over its plan's throttle. */
    boolean tryAcquire(String usageKey, Plan plan) {
        return buckets.computeIfAbsent(usageKey + "/" + plan.id(), k -> new Bucket(plan)).tryTake(System.nanoTime());
    }

    private static final class Bucket {
        private final double ratePerNano;
        private final double burst;
        private double tokens;
        private long updated;

        Bucket(Plan plan) {
            this.ratePerNano = plan.throttleRatePerSecond() / 1e9;
            this.burst = plan.throttleBurst();
            this.tokens = burst;
            this.updated = System.nanoTime();
        }

        synchronized boolean tryTake(long now) {
            tokens = Math.min(burst, tokens + (now - updated) * ratePerNano);
            updated = now;
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }
}
