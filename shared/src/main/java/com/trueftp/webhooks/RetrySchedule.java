package com.trueftp.webhooks;

import com.trueftp.core.Config;

import javax.inject.Inject;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * When a failed delivery is tried again: after each failure, the next gap of the schedule (5 s, 5 min, 30 min,
 * 2 h, 5 h, 10 h, 14 h, 20 h, 24 h: ten attempts over about three days), each ±10 % so that retries of many
 * events spread out, and never sooner than the receiver's {@code Retry-After} (honoured up to an hour).
 * {@code WEBHOOK_RETRY_SCHEDULE} replaces the gaps (seconds, comma-separated) so that tests run it in seconds.
 */
public class RetrySchedule {
    static final List<Duration> DEFAULT = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30),
            Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(14), Duration.ofHours(20),
            Duration.ofHours(24));
    static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);
    static final double JITTER = 0.10;

    private final List<Duration> gaps;

    @Inject
    public RetrySchedule(Config config) {
        this(config.get(Config.WEBHOOK_RETRY_SCHEDULE).map(RetrySchedule::parse).orElse(DEFAULT));
    }

    RetrySchedule(List<Duration> gaps) {
        this.gaps = List.copyOf(gaps);
    }

    static List<Duration> parse(String seconds) {
        try {
            List<Duration> gaps = Arrays.stream(seconds.split(",")).map(String::trim)
                    .map(s -> Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000))).toList();
            if (gaps.stream().anyMatch(d -> d.isNegative() || d.isZero())) {
                throw new IllegalArgumentException("gaps must be positive");
            }
            return gaps;
        } catch (RuntimeException e) {
            throw new IllegalStateException(Config.WEBHOOK_RETRY_SCHEDULE
                    + " must be positive seconds separated by commas, got " + seconds, e);
        }
    }

    /** How many attempts an event gets in all. */
    public int attempts() {
        return gaps.size() + 1;
    }

    /**
     * @param failedAttempt the attempt that just failed, from 1
     * @param retryAfter    the receiver's Retry-After, or null
     * @param jitter        a number in [-1, 1] (random in use; fixed in tests)
     * @return how long to wait before the next attempt, or empty when that was the last one
     */
    public Optional<Duration> after(int failedAttempt, Duration retryAfter, double jitter) {
        if (failedAttempt > gaps.size()) {
            return Optional.empty();
        }
        Duration gap = gaps.get(failedAttempt - 1);
        Duration wait = Duration.ofMillis(Math.round(gap.toMillis() * (1 + JITTER * jitter)));
        if (retryAfter != null) {
            Duration asked = retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
            wait = asked.compareTo(wait) > 0 ? asked : wait;
        }
        return Optional.of(wait);
    }

    /** The n-th gap, from 1, the last one past the end: how long the circuit breaker pauses a failing webhook. */
    public Duration gap(int n) {
        return gaps.get(Math.min(Math.max(n, 1), gaps.size()) - 1);
    }
}
