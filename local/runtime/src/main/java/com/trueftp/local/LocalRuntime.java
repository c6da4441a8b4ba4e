package com.trueftp.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.trueftp.aws.Queues;
import com.trueftp.local.sftp.LocalSftpServer;
import com.trueftp.stack.LambdaFunction;
import com.trueftp.stack.LocalStackFile;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

    /** How a taken SFTP port is told apart from a taken gateway port (both are a {@link BindException}). */
    public static final String SFTP_PORT_IN_USE = "SFTP port in use: ";

    private final LocalAws aws;
    private final LocalGateway gateway;
    private final Path dataDir;
    private final List<AutoCloseable> eventSources;
    private final LocalSftpServer sftp;

    private LocalRuntime(LocalAws aws, LocalGateway gateway, Path dataDir, List<AutoCloseable> eventSources,
                         LocalSftpServer sftp) {
        this.aws = aws;
        this.gateway = gateway;
        this.dataDir = dataDir;
        this.eventSources = eventSources;
        this.sftp = sftp;
    }

    /** The runtime with its SFTP server on a free port. */
    public static LocalRuntime start(int port, Path dataDir, Duration authCacheTtl, LogLevel logLevel)
            throws IOException {
        return start(port, 0, dataDir, authCacheTtl, logLevel);
    }

    /**
     * @param dataDir null keeps everything in memory; otherwise data persists there and
     *                {@code ./trueftp admin --data DIR} can reach this runtime
     */
    public static LocalRuntime start(int port, int sftpPort, Path dataDir, Duration authCacheTtl, LogLevel logLevel)
            throws IOException {
        LocalAws aws = LocalAws.start(0, dataDir);
        try {
            aws.settings().forEach(System::setProperty); // handlers read these as if from their environment
            // The event sources start first: an event written through the gateway is never before the stream's start.
            List<AutoCloseable> eventSources = new ArrayList<>();
            LocalSftpServer sftp = null;
            LocalGateway gateway;
            try {
                eventSources.add(new EventStreamSource(aws.dynamoDb(), aws.config(), LambdaFunction.WEBHOOK_FANOUT,
                        dataDir, logLevel));
                eventSources.add(new SqsEventSource(aws.sqs(),
                        aws.config().require(Queues.WEBHOOK_DELIVERIES.urlVariable()),
                        LambdaFunction.WEBHOOK_DISPATCHER, DISPATCHER_BATCH, DISPATCHER_CONCURRENCY, logLevel));
                eventSources.add(new SqsEventSource(aws.sqs(), aws.config().require(Queues.FILE_CHANGES.urlVariable()),
                        LambdaFunction.FILE_ACTIVITY, FILE_ACTIVITY_BATCH, FILE_ACTIVITY_CONCURRENCY, logLevel));
                sftp = startSftp(sftpPort, dataDir, aws, logLevel);
                gateway = LocalGateway.start(port, authCacheTtl, logLevel, true);
            } catch (IOException | RuntimeException e) {
                if (sftp != null) {
                    sftp.close();
                }
                closeAll(eventSources);
                throw e;
            }
            if (dataDir != null) {
                new LocalStackFile(gateway.baseUrl(), ProcessHandle.current().pid(), aws.settings()).write(dataDir);
            }
            return new LocalRuntime(aws, gateway, dataDir, eventSources, sftp);
        } catch (IOException | RuntimeException e) {
            aws.close();
            throw e;
        }
    }

    /** The SFTP server's logins are decided by the sftp-auth function, created as Lambda creates it. */
    @SuppressWarnings("unchecked")
    private static LocalSftpServer startSftp(int port, Path dataDir, LocalAws aws, LogLevel logLevel)
            throws IOException {
        RequestHandler<Map<String, Object>, Map<String, Object>> auth =
                (RequestHandler<Map<String, Object>, Map<String, Object>>) LambdaHandlers.create(LambdaFunction.SFTP_AUTH);
        try {
            return LocalSftpServer.start(port, dataDir, aws.config(), request -> auth.handleRequest(request,
                    new LocalContext(LambdaFunction.SFTP_AUTH.id(), logLevel)));
        } catch (IOException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof BindException) {
                    throw new BindException(SFTP_PORT_IN_USE + port);
                }
            }
            throw e;
        }
    }

    public String baseUrl() {
        return gateway.baseUrl();
    }

    /** Where the SFTP server listens: {@code sftp://127.0.0.1:N}. */
    public String sftpUrl() {
        return "sftp://127.0.0.1:" + sftp.port();
    }

    public int sftpPort() {
        return sftp.port();
    }

    public LocalAws aws() {
        return aws;
    }

    @Override
    public void close() {
        gateway.close();
        sftp.close();
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
