package com.trueftp.ratelimit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a key stands in its current window, as the {@code X-RateLimit-*} headers tell the client.
 *
 * @param resetEpochSeconds when the window ends and the count starts again
 */
public record RateLimit(int limit, long remaining, long resetEpochSeconds) {

    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-RateLimit-Limit", Integer.toString(limit));
        headers.put("X-RateLimit-Remaining", Long.toString(remaining));
        headers.put("X-RateLimit-Reset", Long.toString(resetEpochSeconds));
        return headers;
    }
}
