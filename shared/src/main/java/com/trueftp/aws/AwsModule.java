package com.trueftp.aws;

import com.trueftp.config.Config;
import dagger.Module;
import dagger.Provides;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

import javax.inject.Singleton;
import java.net.URI;
import java.time.Duration;

/**
 * AWS SDK clients, built once per function instance. Region, credentials and HTTP client are explicit
 * (no provider-chain probing on cold start); timeouts keep a dead dependency from hanging a request:
 * the caller gets 503 well inside API Gateway's 29 s.
 */
@Module
public final class AwsModule {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(5);
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(12);

    private AwsModule() {
    }

    @Provides
    @Singleton
    static SdkHttpClient httpClient() {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(SOCKET_TIMEOUT)
                .build();
    }

    @Provides
    @Singleton
    static AwsCredentialsProvider credentials() {
        // Lambda puts the role's credentials in the environment; the local runtime uses system properties.
        return AwsCredentialsProviderChain.of(EnvironmentVariableCredentialsProvider.create(),
                SystemPropertyCredentialsProvider.create());
    }

    @Provides
    @Singleton
    static DynamoDbClient dynamoDb(Config config, SdkHttpClient http, AwsCredentialsProvider credentials) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .httpClient(http)
                .credentialsProvider(credentials)
                .region(Region.of(config.require(Config.REGION)))
                .overrideConfiguration(overrides());
        config.get(Config.DYNAMODB_ENDPOINT).ifPresent(url -> builder.endpointOverride(URI.create(url)));
        return builder.build();
    }

    public static ClientOverrideConfiguration overrides() {
        return ClientOverrideConfiguration.builder()
                .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                .apiCallTimeout(CALL_TIMEOUT)
                .build();
    }
}
