package com.trueftp.functions.webhooks;

import com.trueftp.aws.AwsModule;
import com.trueftp.aws.ClockModule;
import com.trueftp.aws.SqsModule;
import com.trueftp.core.Config;
import com.trueftp.idempotency.IdempotencyRecords;
import com.trueftp.ratelimit.RateLimitModule;
import com.trueftp.ratelimit.RateLimiter;
import dagger.BindsInstance;
import dagger.Component;

import javax.inject.Singleton;

@Singleton
@Component(modules = {AwsModule.class, SqsModule.class, ClockModule.class, RateLimitModule.class})
interface WebhooksComponent {
    WebhooksEndpoint endpoint();

    RateLimiter rateLimiter();

    IdempotencyRecords idempotencyRecords();

    @Component.Factory
    interface Factory {
        WebhooksComponent create(@BindsInstance Config config);
    }
}
