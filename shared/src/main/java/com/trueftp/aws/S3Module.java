package com.trueftp.aws;

import com.trueftp.core.Config;
import dagger.Module;
import dagger.Provides;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import javax.inject.Singleton;
import java.net.URI;

/**
 * The S3 client and presigner, for the functions that touch files (with {@link AwsModule}). A module of its
 * own so that only their jars carry the S3 SDK.
 */
@Module
public final class S3Module {
    private S3Module() {
    }

    @Provides
    @Singleton
    static S3Client s3(Config config, AwsCredentialsProvider credentials) {
        return AwsModule.configured(S3Client.builder().httpClientBuilder(httpClient(config))
                .serviceConfiguration(s3Configuration(config)), config, credentials, Config.S3_ENDPOINT).build();
    }

    /** Signs URLs locally (no call): with the function's own, short-lived credentials. */
    @Provides
    @Singleton
    static S3Presigner presigner(Config config, AwsCredentialsProvider credentials) {
        var builder = S3Presigner.builder().credentialsProvider(credentials)
                .region(Region.of(config.require(Config.REGION)))
                .serviceConfiguration(s3Configuration(config));
        config.get(Config.S3_ENDPOINT).ifPresent(url -> builder.endpointOverride(URI.create(url)));
        return builder.build();
    }

    /**
     * A client of its own: waiting for an answer may take longer than on DynamoDB, since DeleteObjects answers
     * only once its 1,000 keys are gone. Every call stays bounded by the attempt and call timeouts
     * ({@link AwsModule#overrides()}), which the batch raises for itself.
     */
    private static UrlConnectionHttpClient.Builder httpClient(Config config) {
        return UrlConnectionHttpClient.builder().connectionTimeout(AwsModule.CONNECT_TIMEOUT)
                .socketTimeout(config.s3BatchTimeout());
    }

    private static S3Configuration s3Configuration(Config config) {
        return S3Configuration.builder()
                .pathStyleAccessEnabled(config.get(Config.S3_FORCE_PATH_STYLE).map(Boolean::parseBoolean).orElse(false))
                .build();
    }
}
