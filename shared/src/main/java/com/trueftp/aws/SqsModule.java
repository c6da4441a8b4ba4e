package com.trueftp.aws;

import com.trueftp.core.Config;
import dagger.Module;
import dagger.Provides;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

import javax.inject.Singleton;
import java.net.URI;

/** The SQS client of the functions that queue webhook deliveries, set up like every other client ({@link AwsModule}). */
@Module
public final class SqsModule {
    private SqsModule() {
    }

    @Provides
    @Singleton
    static SqsClient sqs(Config config, SdkHttpClient http, AwsCredentialsProvider credentials) {
        return configured(SqsClient.builder().httpClient(http), config, credentials).build();
    }

    /** The functions' SQS client setup from configuration alone, for the local runtime and tests. */
    public static SqsClientBuilder sqsBuilder(Config config) {
        return configured(SqsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()
                .connectionTimeout(AwsModule.CONNECT_TIMEOUT).socketTimeout(AwsModule.SOCKET_TIMEOUT)),
                config, AwsModule.credentials(config));
    }

    private static SqsClientBuilder configured(SqsClientBuilder builder, Config config,
                                               AwsCredentialsProvider credentials) {
        builder.credentialsProvider(credentials)
                .region(Region.of(config.require(Config.REGION)))
                .overrideConfiguration(AwsModule.overrides());
        config.get(Config.SQS_ENDPOINT).ifPresent(url -> builder.endpointOverride(URI.create(url)));
        return builder;
    }
}
