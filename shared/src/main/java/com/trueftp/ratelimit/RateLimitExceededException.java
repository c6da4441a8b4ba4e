package com.trueftp.ratelimit;

import com.trueftp.core.DomainException;

/** The key has used its hourly limit: the request must do nothing else. */
public final class RateLimitExceededException extends DomainException {
    private final RateLimit standing;
    private final long retryAfterSeconds;

    public RateLimitExceededException(RateLimit standing, long retryAfterSeconds) {
        super("rate limit exceeded: " + standing.limit() + " requests per hour");
        this.standing = standing;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Where the key stands: nothing remaining until the window resets. */
    public RateLimit standing() {
        return standing;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
