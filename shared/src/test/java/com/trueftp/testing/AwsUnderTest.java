package com.trueftp.testing;

import com.trueftp.aws.Queues;
import com.trueftp.files.S3ChangeNotices;
import software.amazon.awssdk.services.sqs.model.Message;

import java.util.List;

import com.trueftp.account.AccountRepository;
import com.trueftp.aws.Tables;
import com.trueftp.core.Config;
import com.trueftp.events.EventLog;
import com.trueftp.ftpuser.FtpUserRepository;
import com.trueftp.stack.LocalSettings;
import com.trueftp.stack.TableProvisioner;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The AWS a function test runs against: the embedded emulators (always), or LocalStack in a container
 * where a Docker engine exists. Either way: the handler's configuration and a client for test setup.
 */
public record AwsUnderTest(String name, Config config, TestGraph graph) {
    /** Pinned: later LocalStack images refuse to start without a licence token. */
    public static final String LOCALSTACK_IMAGE = "localstack/localstack:4.4.0";
    private static final String NO_DOCKER = "no Docker engine here: the LocalStack run of the function "
            + "integration suite is skipped (the same suite ran against the embedded emulators)";
    private static AwsUnderTest localStack;
    private static boolean skipAnnounced;
    private static ServerSocket silent;

    public static AwsUnderTest emulators() {
        return on("emulators", SharedEmulators.config());
    }

    private static AwsUnderTest on(String name, Config config) {
        return new AwsUnderTest(name, config, TestGraph.of(config));
    }

    public DynamoDbClient dynamo() {
        return graph.dynamoDb();
    }

    public S3Client s3() {
        return graph.s3();
    }

    public AccountRepository accounts() {
        return graph.accounts();
    }

    public FtpUserRepository ftpUsers() {
        return graph.ftpUsers();
    }

    public EventLog events() {
        return graph.events();
    }

    /**
     * Records what S3's notifications have told so far, as the file-activity function does (the emulators' S3
     * sends them to the file-changes queue before it answers a change): counts are then exact.
     */
    public void recordFileChanges() {
        String queue = config.require(Queues.FILE_CHANGES.urlVariable());
        while (true) {
            List<Message> messages = graph.sqs().receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10)
                    .waitTimeSeconds(0)).messages();
            if (messages.isEmpty()) {
                return;
            }
            graph.fileActivity().record(messages.stream()
                    .flatMap(m -> S3ChangeNotices.parse(m.body()).stream()).toList());
            messages.forEach(m -> graph.sqs().deleteMessage(d -> d.queueUrl(queue).receiptHandle(m.receiptHandle())));
        }
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
            String endpoint = container.getEndpoint().toString();
            Config config = settingsAt(endpoint)
                    .with(Config.REGION, container.getRegion())
                    .with(Config.ACCESS_KEY_ID, container.getAccessKey())
                    .with(Config.SECRET_ACCESS_KEY, container.getSecretKey());
            localStack = on("localstack", config);
            TableProvisioner.createTables(localStack.dynamo(), Tables.ALL);
            localStack.s3().createBucket(b -> b.bucket(LocalSettings.FILES_BUCKET));
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
        return settingsAt("http://127.0.0.1:" + port);
    }

    /** The handlers' settings with every AWS API at {@code endpoint}. */
    private static Config settingsAt(String endpoint) {
        return Config.of(LocalSettings.of(endpoint, endpoint, endpoint, "test-cursor-secret"));
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
