package com.trueftp.functions.events;

import com.trueftp.aws.AwsModule;
import com.trueftp.aws.ClockModule;
import com.trueftp.core.Config;
import com.trueftp.ratelimit.RateLimitModule;
import com.trueftp.ratelimit.RateLimiter;
import dagger.BindsInstance;
import dagger.Component;

import javax.inject.Singleton;

@Singleton
@Component(modules = {AwsModule.class, ClockModule.class, RateLimitModule.class})
interface EventsComponent {
    EventsEndpoint endpoint();

    RateLimiter rateLimiter();

    @Component.Factory
    interface Factory {
        EventsComponent create(@BindsInstance Config config);
    }
}
