package com.trueftp.local;

import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.trueftp.core.Config;
import com.trueftp.stack.LocalSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.OverwrittenOptionException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./trueftp local}: the local runtime until Ctrl-C or SIGTERM. Data survives restarts
 * under the data directory.
 */
@Command(name = "./trueftp local",
        description = {"Runs the API on this machine: the DynamoDB, S3 and SQS emulators, the tables and queues, the "
                + "authorizer and every function behind a local HTTP gateway, exactly as API Gateway calls them on AWS, "
                + "and the webhook deliveries as Lambda's event sources drive them. Data lives under --data and survives "
                + "a restart (queued deliveries do not). Ctrl-C or SIGTERM stops everything it started."},
        footer = "Environment: AUTH_CACHE_TTL_SECONDS (default 60) caches authorizer results per token, as on AWS.")
public final class LocalMain {
    @Option(names = "--port", paramLabel = "N", description = "gateway port (default: ${DEFAULT-VALUE}; 0 picks a free one)")
    private String port = "3000";

    @Option(names = "--sftp-port", paramLabel = "N",
            description = "SFTP port (default: ${DEFAULT-VALUE}; 0 picks a free one)")
    private String sftpPort = "2222";

    @Option(names = "--data", paramLabel = "DIR", description = "data directory (default: ${DEFAULT-VALUE})")
    private Path data = Path.of(".trueftp/local");

    @Option(names = "--quiet", description = "log warnings and errors only")
    private boolean quiet;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    @SuppressWarnings("unused") // picocli reads it
    private boolean help;

    private LocalMain() {
    }

    public static void main(String[] args) throws Exception {
        LocalMain options = new LocalMain();
        // A space between option and value, as the usage shows it; no @file expansion of arguments.
        CommandLine line = new CommandLine(options).setSeparator(" ").setExpandAtFiles(false);
        try {
            line.parseArgs(args);
        } catch (ParameterException e) {
            fail(message(e) + " (see ./trueftp local --help)");
        }
        if (line.isUsageHelpRequested()) {
            line.usage(System.out);
            return;
        }
        options.run();
    }

    private void run() throws Exception {
        int port = port(this.port, "--port");
        int sftpPort = port(this.sftpPort, "--sftp-port");
        // A taken port is said at once, before the emulators take seconds to start (binding says it again).
        if (!free(port)) {
            fail("port " + port + " is in use: pick another with --port");
            return;
        }
        if (!free(sftpPort)) {
            fail("SFTP port " + sftpPort + " is in use: pick another with --sftp-port");
            return;
        }
        LocalRuntime runtime;
        try {
            runtime = LocalRuntime.start(port, sftpPort, data, Config.fromEnvironment().authCacheTtl(),
                    quiet ? LogLevel.WARN : LogLevel.INFO);
        } catch (BindException e) {
            boolean sftp = e.getMessage() != null && e.getMessage().startsWith(LocalRuntime.SFTP_PORT_IN_USE);
            fail(sftp ? "SFTP port " + sftpPort + " is in use: pick another with --sftp-port"
                    : "port " + port + " is in use: pick another with --port");
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("TrueFTP API stopping");
            runtime.close();
            stopped.countDown();
        }));
        System.out.println("Data in " + data.toAbsolutePath() + "; DynamoDB emulator at " + runtime.aws().dynamoEndpoint()
                + ", S3 emulator at " + runtime.aws().s3Endpoint() + " (bucket " + LocalSettings.FILES_BUCKET + ")"
                + ", SQS emulator at " + runtime.aws().sqsEndpoint());
        System.out.println("TrueFTP API listening on " + runtime.baseUrl());
        System.out.println("TrueFTP SFTP listening on " + runtime.sftpUrl());
        System.out.flush();
        stopped.await();
    }

    /** Whether a port of 127.0.0.1 can be listened on now (0, any free port, always can). */
    private static boolean free(int port) {
        if (port == 0) {
            return true;
        }
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return probe.isBound();
        } catch (IOException inUse) {
            return false;
        }
    }

    private static int port(String value, String option) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        fail(option + " must be a number from 0 to 65535, got " + value);
        return -1;
    }

    /** picocli's complaint about a command line, in the words ./trueftp uses elsewhere. */
    private static String message(ParameterException e) {
        if (e instanceof UnmatchedArgumentException unmatched) {
            return "unknown option " + unmatched.getUnmatched().get(0);
        }
        if (e instanceof MissingParameterException missing) {
            return ((OptionSpec) missing.getMissing().get(0)).longestName() + " needs a value";
        }
        if (e instanceof OverwrittenOptionException twice) {
            return ((OptionSpec) twice.getOverwritten()).longestName() + " given twice";
        }
        return e.getMessage();
    }

    private static void fail(String message) {
        System.err.println("error: " + message);
        System.exit(2);
    }
}
