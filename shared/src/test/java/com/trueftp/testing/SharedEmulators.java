package com.trueftp.testing;

import com.trueftp.aws.AwsModule;
import com.trueftp.aws.Queues;
import com.trueftp.aws.SqsModule;
import com.trueftp.aws.Tables;
import com.trueftp.core.Config;
import com.trueftp.emulators.Emulators;
import com.trueftp.stack.LocalSettings;
import com.trueftp.stack.QueueProvisioner;
import com.trueftp.stack.TableProvisioner;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The emulators of a test JVM, started in memory once on first use with the tables created, and stopped
 * when the JVM exits.
 */
final class SharedEmulators {
    private static Config config;

    private SharedEmulators() {
    }

    /** The handlers' configuration pointing at the emulators. */
    static synchronized Config config() {
        if (config == null) {
            Emulators emulators;
            try {
                emulators = Emulators.start(0, null, LocalSettings.FILES_BUCKET);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(emulators::close));
            config = Config.of(LocalSettings.of(emulators.dynamoEndpoint(), emulators.s3Endpoint(),
                    emulators.sqsEndpoint(), "test-cursor-secret"));
            try (DynamoDbClient dynamo = AwsModule.dynamoDbBuilder(config).build();
                 SqsClient sqs = SqsModule.sqsBuilder(config).build()) {
                TableProvisioner.createTables(dynamo, Tables.ALL);
                QueueProvisioner.createQueues(sqs, emulators.sqsEndpoint(), Queues.ALL);
            }
            emulators.notifyS3ChangesTo(config.require(Queues.FILE_CHANGES.urlVariable()));
        }
        return config;
    }
}
