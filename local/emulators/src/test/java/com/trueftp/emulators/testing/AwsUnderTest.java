package com.trueftp.emulators.testing;

import com.trueftp.aws.AwsModule;
import com.trueftp.aws.S3Module;
import com.trueftp.aws.TableSpec;
import com.trueftp.aws.Tables;
import com.trueftp.config.Config;
import com.trueftp.emulators.LocalAws;
import com.trueftp.emulators.Provisioner;
import com.trueftp.emulators.SharedEmulators;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The AWS a function test runs against: the embedded emulators (always), or LocalStack in a container
 * where a Docker engine exists. Either way: the handler's configuration and a client for test setup.
 */
public record AwsUnderTest(String name, Config config, DynamoDbClient dynamo, S3Client s3) {
    /** Pinned: later LocalStack images refuse to start without a licence token. */
    public static final String LOCALSTACK_IMAGE = "localstack/localstack:4.4.0";
    private static final String NO_DOCKER = "no Docker engine here: the LocalStack run of the function "
            + "integration suite is skipped (the same suite ran against the embedded emulators)";
    private static AwsUnderTest localStack;
    private static boolean skipAnnounced;
    private static ServerSocket silent;

    public static AwsUnderTest emulators() {
        LocalAws aws = SharedEmulators.get();
        return new AwsUnderTest("emulators", aws.config(), aws.dynamoDb(), aws.s3());
    }

    /** LocalStack, started once per JVM; skips the calling test class when there is no Docker engine. */
    public static synchronized AwsUnderTest localStack() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            if (!skipAnnounced) {
                skipAnnounced = true;
                System.err.println("[LocalStack] " + NO_DOCKER);
            }
            assumeTrue(false, NO_DOCKER);
        }
        if (localStack == null) {
            LocalStackContainer container = new LocalStackContainer(DockerImageName.parse(LOCALSTACK_IMAGE))
                    .withServices("dynamodb", "s3");
            String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
            if (token != null && !token.isBlank()) {
                container.withEnv("LOCALSTACK_AUTH_TOKEN", token);
            }
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
            Map<String, String> settings = settingsBesideEndpoints();
            settings.put(Config.REGION, container.getRegion());
            settings.put(Config.DYNAMODB_ENDPOINT, container.getEndpoint().toString());
            settings.put(Config.S3_ENDPOINT, container.getEndpoint().toString());
            settings.put(Config.ACCESS_KEY_ID, container.getAccessKey());
            settings.put(Config.SECRET_ACCESS_KEY, container.getSecretKey());
            Config config = Config.of(settings);
            DynamoDbClient dynamo = AwsModule.dynamoDbBuilder(config).build();
            Provisioner.createTables(dynamo, Tables.ALL);
            S3Client s3 = S3Module.s3Builder(config).build();
            s3.createBucket(b -> b.bucket(LocalAws.FILES_BUCKET));
            localStack = new AwsUnderTest("localstack", config, dynamo, s3);
        }
        return localStack;
    }

    /** Configuration whose DynamoDB endpoint refuses connections: a dependency that is down. */
    public static Config unreachable() {
        return endpointAt(closedPort());
    }

    /**
     * Configuration whose DynamoDB endpoint accepts connections and never answers: a dependency that
     * hangs, which only the clients' timeouts can get out of.
     */
    public static synchronized Config unresponsive() {
        if (silent == null) {
            try {
                silent = new ServerSocket(0, 200); // never accepts: connections wait in the backlog, unanswered
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return endpointAt(silent.getLocalPort());
    }

    private static Config endpointAt(int port) {
        Map<String, String> settings = settingsBesideEndpoints();
        settings.put(Config.REGION, LocalAws.REGION);
        settings.put(Config.ACCESS_KEY_ID, LocalAws.ACCESS_KEY);
        settings.put(Config.SECRET_ACCESS_KEY, LocalAws.SECRET_KEY);
        settings.put(Config.DYNAMODB_ENDPOINT, "http://127.0.0.1:" + port);
        settings.put(Config.S3_ENDPOINT, "http://127.0.0.1:" + port);
        return Config.of(settings);
    }

    /** Table and bucket names and the other settings that do not depend on where the emulators run. */
    private static Map<String, String> settingsBesideEndpoints() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(Config.FILES_BUCKET, LocalAws.FILES_BUCKET);
        settings.put(Config.S3_FORCE_PATH_STYLE, "true");
        settings.put(Config.CURSOR_SECRET, "test-cursor-secret");
        for (TableSpec table : Tables.ALL) {
            settings.put(table.nameVariable(), table.localName());
        }
        return settings;
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
