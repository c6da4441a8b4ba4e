package com.trueftp.infra;

import com.trueftp.stack.GatewayResponse;

import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One of API Gateway's own answers, as {"error": ...} like every function answer (the local gateway uses the
 * same bodies): a fixed status and message, or (status null) API Gateway's own status and message.
 */
record GatewayAnswer(Integer status, String body, Integer retryAfterSeconds) {
    private static final String JSON = "application/json; charset=utf-8";

    /** By response type: one per {@link GatewayResponse}, and the pass-through defaults for the others. */
    static SortedMap<String, GatewayAnswer> all() {
        SortedMap<String, GatewayAnswer> answers = new TreeMap<>();
        for (GatewayResponse response : GatewayResponse.values()) {
            answers.put(response.name(), of(response.status(), response.message(), response.retryAfterSeconds()));
        }
        answers.put("DEFAULT_4XX", passThrough());
        answers.put("DEFAULT_5XX", passThrough());
        return answers;
    }

    static GatewayAnswer of(int status, String message, Integer retryAfterSeconds) {
        return new GatewayAnswer(status, "{\"error\":\"" + message + "\"}", retryAfterSeconds);
    }

    static GatewayAnswer passThrough() {
        return new GatewayAnswer(null, "{\"error\":$context.error.messageString}", null);
    }

    /**
     * Like a function's answer, each carries the request id (the one the functions see) and is never cached.
     * Header values are API Gateway mapping expressions: a quoted literal, or a context variable.
     */
    SortedMap<String, String> headers() {
        SortedMap<String, String> headers = new TreeMap<>();
        headers.put("Cache-Control", "'no-store'");
        headers.put("Content-Type", "'" + JSON + "'");
        if (retryAfterSeconds != null) {
            headers.put("Retry-After", "'" + retryAfterSeconds + "'");
        }
        headers.put("X-Request-Id", "context.requestId");
        return headers;
    }
}
