package com.trueftp.aws;

import com.trueftp.core.Config;
import dagger.Module;
import dagger.Provides;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

import javax.inject.Singleton;

/** The SQS client of the functions that queue webhook deliveries, set up like every other client ({@link AwsModule}). */
@Module
public final class SqsModule {
    private SqsModule() {
    }

    @Provides
    @Singleton
    static SqsClient sqs(Config config, SdkHttpClient http, AwsCredentialsProvider credentials) {
        return AwsModule.configured(SqsClient.builder().httpClient(http), config, credentials, Config.SQS_ENDPOINT)
                .build();
    }

    /** The functions' SQS client setup from configuration alone, for the local runtime and tests. */
    public static SqsClientBuilder sqsBuilder(Config config) {
        return AwsModule.configured(SqsClient.builder().httpClientBuilder(AwsModule.toolHttpClient()), config,
                AwsModule.credentials(config), Config.SQS_ENDPOINT);
    }
}
