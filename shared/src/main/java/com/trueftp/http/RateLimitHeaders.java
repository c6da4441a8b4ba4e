package com.trueftp.http;

import com.trueftp.ratelimit.RateLimit;

import java.util.LinkedHashMap;
import java.util.Map;

/** Where a key stands, as every answer to an authenticated request tells the client. */
final class RateLimitHeaders {
    private RateLimitHeaders() {
    }

    static Map<String, String> of(RateLimit standing) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-RateLimit-Limit", Integer.toString(standing.limit()));
        headers.put("X-RateLimit-Remaining", Long.toString(standing.remaining()));
        headers.put("X-RateLimit-Reset", Long.toString(standing.resetEpochSeconds()));
        return headers;
    }
}
