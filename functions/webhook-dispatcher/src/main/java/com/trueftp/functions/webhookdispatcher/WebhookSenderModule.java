package com.trueftp.functions.webhookdispatcher;

import com.trueftp.core.Config;
import com.trueftp.webhooks.WebhookSender;
import dagger.Module;
import dagger.Provides;

import javax.inject.Singleton;

/** The HTTP client of deliveries, built once: pooled connections are reused across a batch and the next. */
@Module
final class WebhookSenderModule {
    private WebhookSenderModule() {
    }

    @Provides
    @Singleton
    static WebhookSender sender(Config config) {
        return new WebhookSender(config.webhookAllowPrivateTargets());
    }
}
