package com.trueftp.functions.files;

import com.trueftp.aws.AwsModule;
import com.trueftp.aws.ClockModule;
import com.trueftp.aws.S3Module;
import com.trueftp.core.Config;
import com.trueftp.idempotency.IdempotencyRecords;
import com.trueftp.ratelimit.RateLimitModule;
import com.trueftp.ratelimit.RateLimiter;
import dagger.BindsInstance;
import dagger.Component;

import javax.inject.Singleton;

@Singleton
@Component(modules = {AwsModule.class, S3Module.class, ClockModule.class, RateLimitModule.class})
interface FilesComponent {
    FilesEndpoint endpoint();

    RateLimiter rateLimiter();

    IdempotencyRecords idempotencyRecords();

    @Component.Factory
    interface Factory {
        FilesComponent create(@BindsInstance Config config);
    }
}
