package com.trueftp.ratelimit;

import com.trueftp.auth.Caller;

/** Counts one request of a key against its hourly limit. */
public interface RateLimiter {
    int WINDOW_SECONDS = 3600;

    /**
     * @return the key's standing after this request
     * @throws com.trueftp.http.ApiException 429 with {@code Retry-After} and the rate-limit headers when the
     *                                       key has used its limit; the request must then do nothing else
     */
    RateLimit acquire(Caller caller);
}
