package com.trueftp.emulators;

import com.trueftp.aws.AwsModule;
import com.trueftp.aws.TableSpec;
import com.trueftp.aws.Tables;
import com.trueftp.config.Config;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import com.trueftp.auth.RandomIds;
import com.trueftp.aws.S3Module;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The emulated AWS the local runtime and the tests run on: the emulators started, the tables created,
 * and the configuration that points the handlers at them.
 */
public final class LocalAws implements AutoCloseable {
    public static final String REGION = "us-east-1";
    /** Emulators accept any credentials; these only have to be well-formed. */
    public static final String ACCESS_KEY = "local";
    public static final String SECRET_KEY = "local-secret";

    /** The files bucket's name on the emulator. */
    public static final String FILES_BUCKET = "trueftp-files";

    private final Dynalite dynalite;
    private final S3Emulator s3;
    private final String cursorSecret;

    private LocalAws(Dynalite dynalite, S3Emulator s3, String cursorSecret) {
        this.dynalite = dynalite;
        this.s3 = s3;
        this.cursorSecret = cursorSecret;
    }

    /**
     * @param dataDir null keeps everything in memory (files in a temporary directory)
     */
    public static LocalAws start(int dynamoPort, Path dataDir) throws IOException {
        // S3Mock takes seconds to start: it starts while dynalite starts and the tables are created.
        CompletableFuture<S3Emulator> s3 = CompletableFuture.supplyAsync(() -> {
            try {
                return S3Emulator.start(dataDir == null ? null : dataDir.resolve("s3"), FILES_BUCKET);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Dynalite dynalite;
        try {
            dynalite = Dynalite.start(dynamoPort, dataDir == null ? null : dataDir.resolve("dynamodb"));
        } catch (IOException | RuntimeException e) {
            s3.thenAccept(S3Emulator::close);
            throw e;
        }
        LocalAws aws;
        try {
            aws = new LocalAws(dynalite, s3.join(), cursorSecret(dataDir));
        } catch (RuntimeException e) {
            dynalite.close();
            throw e;
        }
        try (DynamoDbClient dynamo = aws.dynamoDb()) {
            Provisioner.createTables(dynamo, Tables.ALL);
        } catch (RuntimeException e) {
            aws.close();
            throw e;
        }
        return aws;
    }

    /** Random; kept in the data directory so that cursors outlive a restart. */
    private static String cursorSecret(Path dataDir) {
        String fresh = RandomIds.newId("cursor");
        if (dataDir == null) {
            return fresh;
        }
        Path file = dataDir.resolve("cursor-secret");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(dataDir);
                Files.writeString(file, fresh);
            }
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The settings a handler reads, as environment variable names and values. */
    public Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(Config.REGION, REGION);
        settings.put(Config.ACCESS_KEY_ID, ACCESS_KEY);
        settings.put(Config.SECRET_ACCESS_KEY, SECRET_KEY);
        settings.put(Config.DYNAMODB_ENDPOINT, dynalite.endpoint());
        settings.put(Config.S3_ENDPOINT, s3.endpoint());
        settings.put(Config.S3_FORCE_PATH_STYLE, "true");
        settings.put(Config.FILES_BUCKET, FILES_BUCKET);
        settings.put(Config.CURSOR_SECRET, cursorSecret);
        for (TableSpec table : Tables.ALL) {
            settings.put(table.nameVariable(), table.localName());
        }
        return settings;
    }

    public Config config() {
        return Config.of(settings());
    }

    public String dynamoEndpoint() {
        return dynalite.endpoint();
    }

    public String s3Endpoint() {
        return s3.endpoint();
    }

    /** A client for tests and benchmarks; handlers build their own from configuration. */
    public S3Client s3() {
        return S3Module.s3Builder(config()).build();
    }

    /** A client for provisioning and tests; handlers build their own from configuration. */
    public DynamoDbClient dynamoDb() {
        return AwsModule.dynamoDbBuilder(config()).build();
    }

    @Override
    public void close() {
        try {
            dynalite.close();
        } finally {
            s3.close();
        }
    }
}
