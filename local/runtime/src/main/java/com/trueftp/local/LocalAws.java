package com.trueftp.local;

import com.trueftp.aws.AwsModule;
import com.trueftp.aws.Queues;
import com.trueftp.aws.SqsModule;
import com.trueftp.aws.Tables;
import com.trueftp.core.Config;
import com.trueftp.core.RandomIds;
import com.trueftp.emulators.Emulators;
import com.trueftp.stack.LocalSettings;
import com.trueftp.stack.QueueProvisioner;
import com.trueftp.stack.TableProvisioner;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The emulated AWS the local runtime and the benchmarks run on: the emulators started, the tables created,
 * and the configuration that points the handlers at them.
 */
public final class LocalAws implements AutoCloseable {
    private final Emulators emulators;
    private final Map<String, String> settings;

    private LocalAws(Emulators emulators, Map<String, String> settings) {
        this.emulators = emulators;
        this.settings = settings;
    }

    /**
     * @param dataDir null keeps everything in memory (files in a temporary directory)
     */
    public static LocalAws start(int dynamoPort, Path dataDir) throws IOException {
        Emulators emulators = Emulators.start(dynamoPort, dataDir, LocalSettings.FILES_BUCKET);
        try {
            LocalAws aws = new LocalAws(emulators, LocalSettings.of(emulators.dynamoEndpoint(),
                    emulators.s3Endpoint(), emulators.sqsEndpoint(), cursorSecret(dataDir)));
            try (DynamoDbClient dynamo = aws.dynamoDb(); SqsClient sqs = aws.sqs()) {
                TableProvisioner.createTables(dynamo, Tables.ALL);
                QueueProvisioner.createQueues(sqs, emulators.sqsEndpoint(), Queues.ALL);
            }
            // As the bucket's notification configuration does on AWS: every object change to the file-changes queue.
            emulators.notifyS3ChangesTo(aws.config().require(Queues.FILE_CHANGES.urlVariable()));
            return aws;
        } catch (IOException | RuntimeException e) {
            emulators.close();
            throw e;
        }
    }

    /** Random; kept in the data directory so that cursors outlive a restart. */
    private static String cursorSecret(Path dataDir) throws IOException {
        String fresh = RandomIds.newId("cursor");
        if (dataDir == null) {
            return fresh;
        }
        Path file = dataDir.resolve("cursor-secret");
        if (!Files.exists(file)) {
            Files.createDirectories(dataDir);
            Files.writeString(file, fresh);
        }
        return Files.readString(file).trim();
    }

    /** The settings a handler reads, as environment variable names and values. */
    public Map<String, String> settings() {
        return settings;
    }

    public Config config() {
        return Config.of(settings);
    }

    public String dynamoEndpoint() {
        return emulators.dynamoEndpoint();
    }

    public String s3Endpoint() {
        return emulators.s3Endpoint();
    }

    /** The emulators' failures on demand (tests of outages). */
    public Emulators.Faults faults() {
        return emulators.faults();
    }

    public String sqsEndpoint() {
        return emulators.sqsEndpoint();
    }

    /** A client for provisioning and event sources; handlers build their own from configuration. */
    DynamoDbClient dynamoDb() {
        return AwsModule.dynamoDbBuilder(config()).build();
    }

    SqsClient sqs() {
        return SqsModule.sqsBuilder(config()).build();
    }

    @Override
    public void close() {
        emulators.close();
    }
}
