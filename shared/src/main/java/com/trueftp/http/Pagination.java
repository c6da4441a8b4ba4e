package com.trueftp.http;

import com.trueftp.core.Json;

import java.util.List;
import java.util.Map;

/** Offset pagination: {@code ?limit=&offset=} checked, and the list envelope every list endpoint answers. */
public record Pagination(int offset, int limit) {

    /** @throws ApiException 400 when limit is not 1..maxLimit or offset is not a whole number >= 0 */
    public static Pagination offsetAndLimit(ApiRequest request, int defaultLimit, int maxLimit) {
        int limit = limit(request, defaultLimit, maxLimit);
        int offset = request.query("offset").map(v -> number("offset", v, 0, Integer.MAX_VALUE)).orElse(0);
        return new Pagination(offset, limit);
    }

    /** {@code ?limit=}: a whole number from 1 to maxLimit, or 400. */
    public static int limit(ApiRequest request, int defaultLimit, int maxLimit) {
        return request.query("limit").map(v -> number("limit", v, 1, maxLimit)).orElse(defaultLimit);
    }

    public Map<String, Object> envelope(List<?> data, long total) {
        return Json.object("data", data, "limit", limit, "offset", offset, "total", total);
    }

    private static int number(String name, String value, int min, int max) {
        try {
            long n = Long.parseLong(value);
            if (n >= min && n <= max && value.matches("\\d+")) {
                return (int) n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        String range = max == Integer.MAX_VALUE ? " of at least " + min : " from " + min + " to " + max;
        throw ApiException.badRequest(name + " must be a whole number" + range + ", got " + value);
    }
}
