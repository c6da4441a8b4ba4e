package com.trueftp.local;

import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.trueftp.stack.LocalStackFile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The whole local stack: emulators with the tables, handler configuration, and the gateway.
 * Handlers read their configuration from system properties here, so one runtime runs per JVM.
 */
public final class LocalRuntime implements AutoCloseable {
    private final LocalAws aws;
    private final LocalGateway gateway;
    private final Path dataDir;

    private LocalRuntime(LocalAws aws, LocalGateway gateway, Path dataDir) {
        this.aws = aws;
        this.gateway = gateway;
        this.dataDir = dataDir;
    }

    /**
     * @param dataDir null keeps everything in memory; otherwise data persists there and
     *                {@code ./trueftp admin --data DIR} can reach this runtime
     */
    public static LocalRuntime start(int port, Path dataDir, Duration authCacheTtl, LogLevel logLevel)
            throws IOException {
        LocalAws aws = LocalAws.start(0, dataDir);
        try {
            aws.settings().forEach(System::setProperty); // handlers read these as if from their environment
            LocalGateway gateway = LocalGateway.start(port, authCacheTtl, logLevel, true);
            if (dataDir != null) {
                new LocalStackFile(gateway.baseUrl(), ProcessHandle.current().pid(), aws.settings()).write(dataDir);
            }
            return new LocalRuntime(aws, gateway, dataDir);
        } catch (IOException | RuntimeException e) {
            aws.close();
            throw e;
        }
    }

    public String baseUrl() {
        return gateway.baseUrl();
    }

    public LocalAws aws() {
        return aws;
    }

    @Override
    public void close() {
        gateway.close();
        if (dataDir != null) {
            LocalStackFile.delete(dataDir);
        }
        aws.close();
    }
}
