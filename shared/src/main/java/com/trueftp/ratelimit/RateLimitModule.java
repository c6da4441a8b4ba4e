package com.trueftp.ratelimit;

import dagger.Binds;
import dagger.Module;

@Module
public interface RateLimitModule {
    @Binds
    RateLimiter rateLimiter(HourlyRateLimiter limiter);
}
