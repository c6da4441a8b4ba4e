package com.trueftp.ratelimit;

/**
 * Where a key stands in its current window (the API tells clients in its {@code X-RateLimit-*} headers).
 *
 * @param resetEpochSeconds when the window ends and the count starts again
 */
public record RateLimit(int limit, long remaining, long resetEpochSeconds) {
}
