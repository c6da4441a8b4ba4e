package com.trueftp.http;

import java.util.Map;

/**
 * The one error type: every failure a client should see leaves the pipeline as
 * {@code {"error": message}} with this status and these extra headers.
 */
public final class ApiException extends RuntimeException {
    public static final String UNAUTHORIZED_MESSAGE = "missing, invalid or expired token";
    public static final String UNAVAILABLE_MESSAGE = "service temporarily unavailable, retry shortly";
    private final int status;
    private final Map<String, String> headers;

    public ApiException(int status, String message) {
        this(status, message, Map.of());
    }

    public ApiException(int status, String message, Map<String, String> headers) {
        super(message, null, false, false); // no stack trace: these are answers, not bugs
        this.status = status;
        this.headers = Map.copyOf(headers);
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException unauthorized() {
        return new ApiException(401, UNAUTHORIZED_MESSAGE);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, message);
    }

    public static ApiException payloadTooLarge(String message) {
        return new ApiException(413, message);
    }

    public static ApiException unavailable() {
        return new ApiException(503, UNAVAILABLE_MESSAGE, Map.of("Retry-After", "5"));
    }
}
