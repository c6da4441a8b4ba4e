package com.trueftp.http;

/**
 * API Gateway's own answers, which never reach a function: the stack installs them as gateway responses
 * and the local gateway answers the same, so clients see {@code {"error": ...}} from both.
 */
public enum GatewayResponse {
    ACCESS_DENIED(403, "access denied"),
    /** The authorizer failed for another reason than a bad token: its dependency is down. */
    AUTHORIZER_FAILURE(503, ApiException.UNAVAILABLE_MESSAGE),
    INTEGRATION_FAILURE(503, ApiException.UNAVAILABLE_MESSAGE),
    INTEGRATION_TIMEOUT(504, "request timed out"),
    /** What API Gateway answers for a path no resource has. */
    MISSING_AUTHENTICATION_TOKEN(404, "no such endpoint"),
    /** The usage plan's daily quota. */
    QUOTA_EXCEEDED(429, "daily quota exceeded"),
    REQUEST_TOO_LARGE(413, "request body too large"),
    /** The usage plan's per-second throttle. */
    THROTTLED(429, "rate limit exceeded"),
    UNAUTHORIZED(401, ApiException.UNAUTHORIZED_MESSAGE);

    private final int status;
    private final String message;

    GatewayResponse(int status, String message) {
        this.status = status;
        this.message = message;
    }

    public int status() {
        return status;
    }

    public String message() {
        return message;
    }
}
