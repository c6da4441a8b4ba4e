package com.trueftp.functions.webhookdispatcher;

import com.trueftp.aws.AwsModule;
import com.trueftp.aws.ClockModule;
import com.trueftp.aws.SqsModule;
import com.trueftp.core.Config;
import com.trueftp.webhooks.WebhookDispatcher;
import dagger.BindsInstance;
import dagger.Component;

import javax.inject.Singleton;

@Singleton
@Component(modules = {AwsModule.class, SqsModule.class, ClockModule.class, WebhookSenderModule.class})
interface WebhookDispatcherComponent {
    WebhookDispatcher dispatcher();

    @Component.Factory
    interface Factory {
        WebhookDispatcherComponent create(@BindsInstance Config config);
    }
}
