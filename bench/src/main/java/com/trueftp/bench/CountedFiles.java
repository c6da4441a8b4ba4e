package com.trueftp.bench;

import com.trueftp.aws.AwsModule;
import com.trueftp.aws.ClockModule;
import com.trueftp.core.Config;
import com.trueftp.functions.files.FilesEndpoint;
import com.trueftp.stack.LocalSettings;
import dagger.BindsInstance;
import dagger.Component;
import dagger.Module;
import dagger.Provides;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import javax.inject.Singleton;
import java.net.URI;

/**
 * The files function's endpoint, wired as the function wires it but on an S3 client of the benchmark's own
 * whose calls are counted: what one request costs in S3, measured in-process.
 */
@Singleton
@Component(modules = {AwsModule.class, ClockModule.class, CountedFiles.EmulatedS3.class})
interface CountedFiles {
    FilesEndpoint endpoint();

    /** The endpoint's client, for the benchmark's own calls too: without the functions' short call timeouts. */
    S3Client s3();

    static CountedFiles of(Config config, CallCounter s3Calls) {
        return DaggerCountedFiles.factory().create(config, s3Calls);
    }

    @Component.Factory
    interface Factory {
        CountedFiles create(@BindsInstance Config config, @BindsInstance CallCounter s3Calls);
    }

    /** The plain SDK on the S3 emulator (path-style, as it needs); answers wait as long as the batch timeout allows. */
    @Module
    final class EmulatedS3 {
        private static final StaticCredentialsProvider CREDENTIALS = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(LocalSettings.ACCESS_KEY, LocalSettings.SECRET_KEY));

        private EmulatedS3() {
        }

        @Provides
        @Singleton
        static S3Client s3(Config config, CallCounter s3Calls) {
            return S3Client.builder()
                    .endpointOverride(URI.create(config.require(Config.S3_ENDPOINT)))
                    .forcePathStyle(true)
                    .region(Region.of(LocalSettings.REGION))
                    .credentialsProvider(CREDENTIALS)
                    .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(config.s3BatchTimeout()))
                    .overrideConfiguration(o -> o.addExecutionInterceptor(s3Calls))
                    .build();
        }

        @Provides
        @Singleton
        static S3Presigner presigner(Config config) {
            return S3Presigner.builder()
                    .endpointOverride(URI.create(config.require(Config.S3_ENDPOINT)))
                    .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                    .region(Region.of(LocalSettings.REGION))
                    .credentialsProvider(CREDENTIALS)
                    .build();
        }
    }
}
