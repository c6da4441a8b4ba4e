package com.trueftp.aws;

import com.trueftp.core.Config;
import dagger.Module;
import dagger.Provides;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
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
 * (no provider-chain probing on cold start); timeouts keep a dead or stalled dependency from hanging a
 * request: the caller gets 503 well inside the function's timeout and API Gateway's 29 s.
 */
@Module
public final class AwsModule {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(2);
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(3);
    /** A call gives up after this, retries included: the authorizer (10 s) makes two in a row. */
    static final Duration CALL_TIMEOUT = Duration.ofMillis(4500);

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
    static AwsCredentialsProvider credentials(Config config) {
        // Lambda puts the role's credentials in these variables; the local runtime and the tests set them too.
        String accessKey = config.require(Config.ACCESS_KEY_ID);
        String secretKey = config.require(Config.SECRET_ACCESS_KEY);
        return StaticCredentialsProvider.create(config.get(Config.SESSION_TOKEN)
                .<AwsCredentials>map(token -> AwsSessionCredentials.create(accessKey, secretKey, token))
                .orElseGet(() -> AwsBasicCredentials.create(accessKey, secretKey)));
    }

    @Provides
    @Singleton
    static DynamoDbClient dynamoDb(Config config, SdkHttpClient http, AwsCredentialsProvider credentials) {
        return configured(DynamoDbClient.builder().httpClient(http), config, credentials, Config.DYNAMODB_ENDPOINT)
                .build();
    }

    /**
     * The functions' DynamoDB client setup from configuration alone, for the tools and tests that talk to
     * the same tables (the local runtime, the admin CLI, benchmarks); callers may override more.
     */
    public static DynamoDbClientBuilder dynamoDbBuilder(Config config) {
        return configured(DynamoDbClient.builder().httpClientBuilder(toolHttpClient()), config, credentials(config),
                Config.DYNAMODB_ENDPOINT);
    }

    /** The HTTP client of a tool's or test's client: the functions' timeouts, a client of its own. */
    static UrlConnectionHttpClient.Builder toolHttpClient() {
        return UrlConnectionHttpClient.builder().connectionTimeout(CONNECT_TIMEOUT).socketTimeout(SOCKET_TIMEOUT);
    }

    /**
     * Credentials, region, timeouts and retries, the same for every client, and the endpoint named by
     * {@code endpointSetting} when there is one (an emulator).
     */
    static <B extends AwsClientBuilder<B, ?>> B configured(B builder, Config config, AwsCredentialsProvider credentials,
                                                            String endpointSetting) {
        builder.credentialsProvider(credentials)
                .region(Region.of(config.require(Config.REGION)))
                .overrideConfiguration(overrides());
        config.get(endpointSetting).ifPresent(url -> builder.endpointOverride(URI.create(url)));
        return builder;
    }

    /** The timeouts and retries of every client. */
    public static ClientOverrideConfiguration overrides() {
        return ClientOverrideConfiguration.builder()
                .retryStrategy(RetryMode.STANDARD) // 3 attempts; DynamoDB's SDK default of 9 only delays a 503
                .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                .apiCallTimeout(CALL_TIMEOUT)
                .build();
    }
}
