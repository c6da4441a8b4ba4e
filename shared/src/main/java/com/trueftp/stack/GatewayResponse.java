package com.trueftp.stack;

import com.trueftp.auth.UnauthenticatedException;
import com.trueftp.core.UnavailableException;

/**
 * API Gateway's own answers, which never reach a function: the stack installs them as gateway responses
 * and the local gateway answers the same, so clients see {@code {"error": ...}} from both.
 */
public enum GatewayResponse {
    ACCESS_DENIED(403, "access denied", null),
    /**
     * The authorizer threw something other than "Unauthorized" (its DynamoDB is down or slow) or timed out;
     * API Gateway reports that as one of these two types depending on how it failed.
     */
    AUTHORIZER_CONFIGURATION_ERROR(503, UnavailableException.MESSAGE, UnavailableException.RETRY_AFTER_SECONDS),
    AUTHORIZER_FAILURE(503, UnavailableException.MESSAGE, UnavailableException.RETRY_AFTER_SECONDS),
    INTEGRATION_FAILURE(503, UnavailableException.MESSAGE, UnavailableException.RETRY_AFTER_SECONDS),
    INTEGRATION_TIMEOUT(504, "request timed out", null),
    /** What API Gateway answers for a path no resource has. */
    MISSING_AUTHENTICATION_TOKEN(404, "no such endpoint", null),
    /** The usage plan's daily quota (per UTC day): a fixed hour is the best a static answer can say. */
    QUOTA_EXCEEDED(429, "daily quota exceeded", 3600),
    /** Bodies over API Gateway's 10 MB, or requests over Lambda's 6 MB (base64 makes a binary body 4/3 larger). */
    REQUEST_TOO_LARGE(413, "request body too large: files over 4 MiB are uploaded through "
            + "POST /ftp-users/{id}/files/upload-url", null),
    /** The usage plan's per-second throttle. */
    THROTTLED(429, "rate limit exceeded", 1),
    UNAUTHORIZED(401, UnauthenticatedException.MESSAGE, null);

    private final int status;
    private final String message;
    private final Integer retryAfterSeconds;

    GatewayResponse(int status, String message, Integer retryAfterSeconds) {
        this.status = status;
        this.message = message;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The Retry-After header's value, or null for answers that retrying will not change. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String message() {
        return message;
    }
}
