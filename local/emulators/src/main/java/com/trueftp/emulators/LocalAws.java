package com.trueftp.emulators;

import com.trueftp.aws.AwsModule;
import com.trueftp.aws.TableSpec;
import com.trueftp.aws.Tables;
import com.trueftp.config.Config;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.nio.file.Path;
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

    private final Dynalite dynalite;

    private LocalAws(Dynalite dynalite) {
        this.dynalite = dynalite;
    }

    /**
     * @param dataDir null keeps everything in memory
     */
    public static LocalAws start(int dynamoPort, Path dataDir) throws IOException {
        Dynalite dynalite = Dynalite.start(dynamoPort, dataDir == null ? null : dataDir.resolve("dynamodb"));
        LocalAws aws = new LocalAws(dynalite);
        try (DynamoDbClient dynamo = aws.dynamoDb()) {
            Provisioner.createTables(dynamo, Tables.ALL);
        } catch (RuntimeException e) {
            aws.close();
            throw e;
        }
        return aws;
    }

    /** The settings a handler reads, as environment variable names and values. */
    public Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(Config.REGION, REGION);
        settings.put(Config.ACCESS_KEY_ID, ACCESS_KEY);
        settings.put(Config.SECRET_ACCESS_KEY, SECRET_KEY);
        settings.put(Config.DYNAMODB_ENDPOINT, dynalite.endpoint());
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

    /** A client for provisioning and tests; handlers build their own from configuration. */
    public DynamoDbClient dynamoDb() {
        return AwsModule.dynamoDbBuilder(config()).build();
    }

    @Override
    public void close() {
        dynalite.close();
    }
}
