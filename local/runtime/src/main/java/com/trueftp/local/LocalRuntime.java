package com.trueftp.local;

import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.trueftp.aws.Queues;
import com.trueftp.stack.LambdaFunction;
import com.trueftp.stack.LocalStackFile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole local stack: emulators with the tables, handler configuration, and the gateway.
 * Handlers read their configuration from system properties here, so one runtime runs per JVM.
 */
public final class LocalRuntime implements AutoCloseable {
    /** Dispatcher instances side by side at most: the stack's maximum concurrency of the dispatcher's mapping. */
    static final int DISPATCHER_CONCURRENCY = 50;
    /** File-activity instances side by side at most (its mapping's maximum concurrency on AWS). */
    static final int FILE_ACTIVITY_CONCURRENCY = 5;
    /** Messages per batch: as the stack's mappings (the dispatcher's ten, file activity's hundred). */
    static final int DISPATCHER_BATCH = 10;
    static final int FILE_ACTIVITY_BATCH = 100;

    private final LocalAws aws;
    private final LocalGateway gateway;
    private final Path dataDir;
    private final List<AutoCloseable> eventSources;

    private LocalRuntime(LocalAws aws, LocalGateway gateway, Path dataDir, List<AutoCloseable> eventSources) {
        this.aws = aws;
        this.gateway = gateway;
        this.dataDir = dataDir;
        this.eventSources = eventSources;
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
            // The event sources start first: an event written through the gateway is never before the stream's start.
            List<AutoCloseable> eventSources = new ArrayList<>();
            LocalGateway gateway;
            try {
                eventSources.add(new EventStreamSource(aws.dynamoDb(), aws.config(), LambdaFunction.WEBHOOK_FANOUT,
                        dataDir, logLevel));
                eventSources.add(new SqsEventSource(aws.sqs(),
                        aws.config().require(Queues.WEBHOOK_DELIVERIES.urlVariable()),
                        LambdaFunction.WEBHOOK_DISPATCHER, DISPATCHER_BATCH, DISPATCHER_CONCURRENCY, logLevel));
                eventSources.add(new SqsEventSource(aws.sqs(), aws.config().require(Queues.FILE_CHANGES.urlVariable()),
                        LambdaFunction.FILE_ACTIVITY, FILE_ACTIVITY_BATCH, FILE_ACTIVITY_CONCURRENCY, logLevel));
                gateway = LocalGateway.start(port, authCacheTtl, logLevel, true);
            } catch (IOException | RuntimeException e) {
                closeAll(eventSources);
                throw e;
            }
            if (dataDir != null) {
                new LocalStackFile(gateway.baseUrl(), ProcessHandle.current().pid(), aws.settings()).write(dataDir);
            }
            return new LocalRuntime(aws, gateway, dataDir, eventSources);
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
        closeAll(eventSources);
        if (dataDir != null) {
            LocalStackFile.delete(dataDir);
        }
        aws.close();
    }

    private static void closeAll(List<AutoCloseable> eventSources) {
        for (AutoCloseable source : eventSources) {
            try {
                source.close();
            } catch (Exception e) {
                System.err.println("stopping an event source: " + e);
            }
        }
    }
}
