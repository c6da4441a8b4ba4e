package com.trueftp.aws;

import dagger.Module;
import dagger.Provides;

import java.time.Clock;

@Module
public final class ClockModule {
    private ClockModule() {
    }

    @Provides
    static Clock clock() {
        return Clock.systemUTC();
    }
}
