package com.trueftp.http;

import java.util.Map;

/**
 * An HTTP answer that the request itself calls for before any domain work: a malformed body or query, a method
 * the resource does not have, a body too large. Leaves the pipeline as {@code {"error": message}} with this
 * status and these extra headers, like the domain's refusals ({@link ErrorAnswers}).
 */
public final class ApiException extends RuntimeException {
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

    public static ApiException payloadTooLarge(String message) {
        return new ApiException(413, message);
    }
}
