package com.trueftp.functions.webhookfanout;

import com.trueftp.aws.AwsModule;
import com.trueftp.aws.ClockModule;
import com.trueftp.aws.SqsModule;
import com.trueftp.core.Config;
import com.trueftp.webhooks.WebhookFanOut;
import dagger.BindsInstance;
import dagger.Component;

import javax.inject.Singleton;

@Singleton
@Component(modules = {AwsModule.class, SqsModule.class, ClockModule.class})
interface WebhookFanOutComponent {
    WebhookFanOut fanOut();

    @Component.Factory
    interface Factory {
        WebhookFanOutComponent create(@BindsInstance Config config);
    }
}
