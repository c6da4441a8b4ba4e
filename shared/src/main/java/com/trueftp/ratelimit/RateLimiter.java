package com.trueftp.ratelimit;

import com.trueftp.auth.Caller;

/** Counts one request of a key against its hourly limit. */
public interface RateLimiter {
    /** The window every key's limit counts in; the API reports it as {@code rate_limit.window_seconds}. */
    int WINDOW_SECONDS = 3600;

    /**
     * @return the key's standing after this request
     * @throws RateLimitExceededException when the key has used its limit; the request must then do nothing else
     */
    RateLimit acquire(Caller caller);
}
