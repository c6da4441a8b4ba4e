package com.trueftp.testing;

import com.trueftp.account.AccountRepository;
import com.trueftp.auth.ApiKeyRepository;
import com.trueftp.aws.AwsModule;
import com.trueftp.aws.ClockModule;
import com.trueftp.aws.S3Module;
import com.trueftp.aws.SqsModule;
import com.trueftp.core.Config;
import com.trueftp.events.EventLog;
import com.trueftp.files.FileStore;
import com.trueftp.files.FileActivity;
import com.trueftp.files.FileRecords;
import com.trueftp.ftpuser.FtpUserRepository;
import com.trueftp.webhooks.DeliveryLog;
import com.trueftp.webhooks.WebhookRepository;
import dagger.BindsInstance;
import dagger.Component;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;

import javax.inject.Singleton;

/** The clients and repositories a test sets up and inspects state with, wired as the functions wire theirs. */
@Singleton
@Component(modules = {AwsModule.class, S3Module.class, SqsModule.class, ClockModule.class})
public interface TestGraph {
    DynamoDbClient dynamoDb();

    S3Client s3();

    S3Presigner presigner();

    AccountRepository accounts();

    ApiKeyRepository apiKeys();

    FtpUserRepository ftpUsers();

    EventLog events();

    FileStore fileStore();

    FileRecords fileRecords();

    FileActivity fileActivity();

    SqsClient sqs();

    WebhookRepository webhooks();

    DeliveryLog deliveries();

    static TestGraph of(Config config) {
        return DaggerTestGraph.factory().create(config);
    }

    @Component.Factory
    interface Factory {
        TestGraph create(@BindsInstance Config config);
    }
}
