package com.trueftp.local;

import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.trueftp.core.Config;
import com.trueftp.stack.LocalSettings;

import java.net.BindException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./trueftp local}: the local runtime until Ctrl-C or SIGTERM. Data survives restarts
 * under the data directory.
 */
public final class LocalMain {
    private LocalMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = 3000;
        Path data = Path.of(".trueftp/local");
        LogLevel logLevel = LogLevel.INFO;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = parsePort(value(args, ++i, "--port"));
                case "--data" -> data = Path.of(value(args, ++i, "--data"));
                case "--quiet" -> logLevel = LogLevel.WARN;
                default -> fail("unknown option " + args[i] + " (see ./trueftp local --help)");
            }
        }

        LocalRuntime runtime;
        try {
            runtime = LocalRuntime.start(port, data, Config.fromEnvironment().authCacheTtl(), logLevel);
        } catch (BindException e) {
            fail("port " + port + " is in use: pick another with --port");
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("TrueFTP API stopping");
            runtime.close();
            stopped.countDown();
        }));
        System.out.println("Data in " + data.toAbsolutePath() + "; DynamoDB emulator at " + runtime.aws().dynamoEndpoint()
                + ", S3 emulator at " + runtime.aws().s3Endpoint() + " (bucket " + LocalSettings.FILES_BUCKET + ")");
        System.out.println("TrueFTP API listening on " + runtime.baseUrl());
        System.out.flush();
        stopped.await();
    }

    private static int parsePort(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        fail("--port must be a number from 0 to 65535, got " + value);
        return -1;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            fail(option + " needs a value");
        }
        return args[i];
    }

    private static void fail(String message) {
        System.err.println("error: " + message);
        System.exit(2);
    }
}
