package com.trueftp.local.bench;

import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.trueftp.account.Account;
import com.trueftp.account.AccountRepository;
import com.trueftp.account.Plan;
import com.trueftp.auth.ApiKey;
import com.trueftp.auth.ApiKeyRepository;
import com.trueftp.auth.Caller;
import com.trueftp.auth.Scope;
import com.trueftp.core.Config;
import com.trueftp.core.Json;
import com.trueftp.emulators.ProjectPaths;
import com.trueftp.events.EventLog;
import com.trueftp.ftpuser.FtpUserRepository;
import com.trueftp.http.Routes;
import com.trueftp.local.LocalAws;
import com.trueftp.local.LocalGateway;
import com.trueftp.stack.LambdaFunction;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./trueftp bench}: (a) the simulated cold start of the account function — a fresh JVM with
 * Lambda-like flags running the deployed lambda.jar, from process start to the first 200 of GET /account
 * against dynalite — (b) the warm latency of GET /account through the local gateway, and (c) what the hourly
 * rate limiter adds to a request ({@link RateLimiterBench}), (d) FTP users through the gateway
 * ({@link FtpUsersBench}), and (e) GET /events at offsets 0, 10,000 and 999,950 of 1,000,000 events
 * ({@link EventsBench}). Prints a readable
 * report, then the same figures as one JSON object on the last line. Exits non-zero on any failure.
 * Measures only: there are no timed assertions.
 */
public final class Bench {
    /** High enough that the hourly limiter never refuses a benchmark request. */
    static final int BENCH_RATE_LIMIT = 1_000_000;
    static final int COLD_RUNS = 5;
    static final int WARMUP_REQUESTS = 200;
    static final int MEASURED_REQUESTS = 2_000;
    static final List<String> COLD_JVM_FLAGS =
            List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern PROBE_LINE =
            Pattern.compile(Pattern.quote(ColdStartProbe.RESULT_PREFIX) + "status=(\\d+) init_us=(\\d+) invoke_us=(\\d+)");

    private final Clock clock = Clock.systemUTC();
    private final Path root = ProjectPaths.root();

    private Bench() {
    }

    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("--cold-start")) {
            measure(json -> json.put("cold_start", new Bench().coldStarts()));
            return;
        }
        if (args.length > 0) {
            System.err.println("error: ./trueftp bench takes no options but --cold-start (see ./trueftp bench --help)");
            System.exit(2);
        }
        measure(json -> new Bench().run(json));
    }

    interface Measurement {
        void run(Map<String, Object> json) throws Exception;
    }

    /** Runs a measurement, prints its figures as one JSON line last, and exits non-zero on any failure. */
    static void measure(Measurement measurement) {
        try {
            Map<String, Object> json = new LinkedHashMap<>();
            measurement.run(json);
            System.out.println();
            System.out.println(Json.write(json));
        } catch (Throwable e) {
            System.out.flush();
            System.err.println("bench failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    private void run(Map<String, Object> json) throws Exception {
        String date = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString();
        Map<String, Object> machine = machine();
        json.put("date", date);
        json.put("machine", machine);
        System.out.println("TrueFTP benchmark, " + date);
        System.out.printf("Machine: nproc %s, %.1f GiB memory, %s; Java %s (%s)%n", machine.get("nproc"),
                ((Long) machine.get("memory_total_bytes")) / (1024.0 * 1024 * 1024), machine.get("cpu_model"),
                machine.get("java_version"), machine.get("java_vm"));
        System.out.println();
        json.put("cold_start", coldStarts());
        System.out.println();
        json.put("warm", warm());
        System.out.println();
        json.put("rate_limiter", new RateLimiterBench(clock).run());
        System.out.println();
        json.put("ftp_users", new FtpUsersBench(clock).run());
        System.out.println();
        json.put("events", new EventsBench(clock).run());
        System.out.println();
        json.put("files", new FilesBench(clock, FilesBench.DEFAULT_FILES).run());
    }

    // ---------------------------------------------------------------- (a) cold start

    /** The account function (GET /account) and the files function (GET …/files?path=/), each cold. */
    private Map<String, Object> coldStarts() throws Exception {
        Map<String, Object> json = new LinkedHashMap<>();
        try (LocalAws aws = LocalAws.start(0, null); DynamoDbClient dynamo = aws.dynamoDb()) {
            Caller caller = createCaller(dynamo, aws.config(), "bench cold start");
            List<String> context = new ArrayList<>();
            caller.toAuthorizerContext().forEach((k, v) -> context.add(k + "=" + v));
            Map<String, String> env = functionEnvironment(aws.settings());

            List<String> account = new ArrayList<>(List.of(LambdaFunction.ACCOUNT.handler(),
                    Routes.BASE_PATH + "/account", Routes.BASE_PATH + "/account"));
            account.addAll(context);
            json.put("account", coldStart(LambdaFunction.ACCOUNT, "GET /account", account, env));
            System.out.println();

            String user = new FtpUserRepository(dynamo, aws.config(), new EventLog(dynamo, aws.config(), clock), clock)
                    .create(caller.accountId(), new FtpUserRepository.NewUser("cold", "$argon2id$bench", true, true,
                            "/", null), caller.plan().ftpUserLimit()).id();
            List<String> files = new ArrayList<>(List.of(LambdaFunction.FILES.handler(),
                    Routes.BASE_PATH + "/ftp-users/{id}/files", Routes.BASE_PATH + "/ftp-users/" + user + "/files",
                    "param.id=" + user, "query.path=/"));
            files.addAll(context);
            json.put("files", coldStart(LambdaFunction.FILES, "GET /ftp-users/{id}/files?path=/", files, env));
        }
        return json;
    }

    private Map<String, Object> coldStart(LambdaFunction function, String request, List<String> probeArgs,
                                          Map<String, String> env) throws Exception {
        Path lambdaJar = root.resolve("functions/" + function.id() + "/target/lambda.jar");
        Path probeClasses = root.resolve("local/runtime/target/classes");
        requireFile(lambdaJar);
        requireFile(probeClasses.resolve(ColdStartProbe.class.getName().replace('.', '/') + ".class"));
        long jarBytes = Files.size(lambdaJar);

        System.out.printf("(a) Simulated cold start of the %s function: %s, %d runs%n", function.id(), request, COLD_RUNS);
        System.out.printf("    each run: a fresh JVM (%s) with functions/%s/target/lambda.jar (%.1f MiB, "
                        + "%,d bytes) and the probe class; wall time from process start to its 200%n",
                String.join(" ", COLD_JVM_FLAGS), function.id(), jarBytes / (1024.0 * 1024), jarBytes);

        List<Double> wall = new ArrayList<>();
        List<Double> init = new ArrayList<>();
        List<Double> invoke = new ArrayList<>();
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(COLD_JVM_FLAGS);
        command.addAll(List.of("-cp", lambdaJar + ":" + probeClasses, ColdStartProbe.class.getName()));
        command.addAll(probeArgs);
        System.out.println("    run   wall ms   of which handler init ms   first invoke ms");
        for (int run = 1; run <= COLD_RUNS; run++) {
            ProbeResult r = runProbe(command, env);
            wall.add(r.wallMs());
            init.add(r.initMs());
            invoke.add(r.invokeMs());
            System.out.printf("    %3d %9.0f %26.0f %17.0f%n", run, r.wallMs(), r.initMs(), r.invokeMs());
        }
        List<Double> sorted = wall.stream().sorted().toList();
        double median = median(sorted);
        System.out.printf("    wall time: median %.0f ms, min %.0f ms, max %.0f ms%n",
                median, sorted.get(0), sorted.get(sorted.size() - 1));
        System.out.printf("    (handler init = building the event and the handler's no-arg constructor (Dagger, SDK "
                + "clients); first invoke = handleRequest incl. its first AWS calls; the rest is JVM start and class loading)%n");

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("runs", COLD_RUNS);
        json.put("jvm_flags", COLD_JVM_FLAGS);
        json.put("lambda_jar_bytes", jarBytes);
        json.put("wall_ms", round(wall, 1));
        json.put("median_ms", round(median, 1));
        json.put("min_ms", round(sorted.get(0), 1));
        json.put("max_ms", round(sorted.get(sorted.size() - 1), 1));
        json.put("handler_init_ms", round(init, 1));
        json.put("first_invoke_ms", round(invoke, 1));
        return json;
    }

    private record ProbeResult(double wallMs, double initMs, double invokeMs) {
    }

    /** One fresh JVM: wall time from start() to reading its result line, which must say 200. */
    private ProbeResult runProbe(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env);
        List<String> output = new ArrayList<>();
        CompletableFuture<Long> resultReadAt = new CompletableFuture<>();
        CompletableFuture<Matcher> resultLine = new CompletableFuture<>();

        long started = System.nanoTime();
        Process process = builder.start();
        try {
            Thread reader = new Thread(() -> readProbeOutput(process, output, resultReadAt, resultLine), "probe-output");
            reader.setDaemon(true);
            reader.start();
            Matcher m;
            try {
                m = resultLine.get(PROBE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new IllegalStateException("the probe gave no result within " + PROBE_TIMEOUT.toSeconds()
                        + " s; its output:\n" + joined(output));
            }
            if (m == null) {
                process.waitFor(10, TimeUnit.SECONDS);
                reader.join(2_000);
                throw new IllegalStateException("the probe ended without a result line; its output:\n" + joined(output));
            }
            double wallMs = (resultReadAt.get() - started) / 1e6;
            int status = Integer.parseInt(m.group(1));
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the probe did not exit after its result");
            }
            reader.join(2_000);
            if (status != 200) {
                throw new IllegalStateException("the probe got status " + status + " instead of 200; its output:\n"
                        + joined(output));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("the probe exited with " + process.exitValue() + "; its output:\n"
                        + joined(output));
            }
            return new ProbeResult(wallMs, Long.parseLong(m.group(2)) / 1e3, Long.parseLong(m.group(3)) / 1e3);
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** Timestamps the result line the moment it is read, then drains the rest so the child never blocks. */
    private static void readProbeOutput(Process process, List<String> output, CompletableFuture<Long> readAt,
                                        CompletableFuture<Matcher> result) {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                long now = System.nanoTime();
                Matcher m = PROBE_LINE.matcher(line.trim());
                if (!result.isDone() && m.matches()) {
                    readAt.complete(now);
                    result.complete(m);
                } else {
                    synchronized (output) {
                        output.add(line);
                    }
                }
            }
        } catch (IOException e) {
            // the process went away; reported below as a missing result
        } finally {
            result.complete(null);
        }
    }

    /** The function's environment as Lambda would set it: the emulator settings are environment variable names. */
    private static Map<String, String> functionEnvironment(Map<String, String> settings) {
        Map<String, String> env = new LinkedHashMap<>(settings);
        env.put("LANG", "C.UTF-8");
        String path = System.getenv("PATH");
        if (path != null) {
            env.put("PATH", path);
        }
        return env;
    }

    // ---------------------------------------------------------------- (b) warm latency

    private Map<String, Object> warm() throws Exception {
        Duration ttl = Config.DEFAULT_AUTH_CACHE_TTL;
        System.out.printf("(b) Warm latency of GET /account through the local gateway: %d sequential requests "
                        + "after %d warm-up requests%n", MEASURED_REQUESTS, WARMUP_REQUESTS);
        System.out.printf("    one HTTP/1.1 keep-alive connection (java.net.http), authorizer cache TTL %d s, "
                + "log level WARN, dynalite in memory%n", ttl.toSeconds());

        long[] nanos = new long[MEASURED_REQUESTS];
        ExecutorService httpExecutor = Executors.newCachedThreadPool(task -> {
            Thread t = new Thread(task, "bench-http");
            t.setDaemon(true);
            return t;
        });
        try (LocalAws aws = LocalAws.start(0, null)) {
            Map<String, String> settings = aws.settings();
            settings.forEach(System::setProperty); // as LocalMain does: handlers read these as their environment
            try (LocalGateway gateway = LocalGateway.start(0, ttl, LogLevel.WARN, false);
                 DynamoDbClient dynamo = aws.dynamoDb()) {
                Account account = new AccountRepository(dynamo, aws.config(), clock).create("bench warm", Plan.PRO);
                String token = new ApiKeyRepository(dynamo, aws.config(), clock)
                        .create(account.id(), "bench", EnumSet.of(Scope.READ), BENCH_RATE_LIMIT, null).token();

                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5)).executor(httpExecutor).build();
                HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/account"))
                        .header("Authorization", "Bearer " + token)
                        .timeout(Duration.ofSeconds(30))
                        .GET().build();
                for (int i = 0; i < WARMUP_REQUESTS; i++) {
                    send(client, request, "warm-up request " + (i + 1));
                }
                for (int i = 0; i < MEASURED_REQUESTS; i++) {
                    long started = System.nanoTime();
                    send(client, request, "request " + (i + 1));
                    nanos[i] = System.nanoTime() - started;
                }
            } finally {
                settings.keySet().forEach(System::clearProperty);
            }
        } finally {
            httpExecutor.shutdownNow();
        }

        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double p50 = ms(nearestRank(sorted, 50));
        double p90 = ms(nearestRank(sorted, 90));
        double p99 = ms(nearestRank(sorted, 99));
        double max = ms(sorted[sorted.length - 1]);
        double mean = Arrays.stream(nanos).average().orElse(0) / 1e6;
        System.out.printf("    p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms (mean %.2f ms, min %.2f ms)%n",
                p50, p90, p99, max, mean, ms(sorted[0]));

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("warmup_requests", WARMUP_REQUESTS);
        json.put("requests", MEASURED_REQUESTS);
        json.put("auth_cache_ttl_seconds", ttl.toSeconds());
        json.put("p50_ms", round(p50, 3));
        json.put("p90_ms", round(p90, 3));
        json.put("p99_ms", round(p99, 3));
        json.put("max_ms", round(max, 3));
        json.put("min_ms", round(ms(sorted[0]), 3));
        json.put("mean_ms", round(mean, 3));
        return json;
    }

    private static void send(HttpClient client, HttpRequest request, String what) throws Exception {
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(what + ": GET /account answered " + response.statusCode() + " "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
    }

    /** Nearest-rank percentile: the value at rank ceil(p/100 * n) of the ascending values. */
    static long nearestRank(long[] sortedAscending, int percentile) {
        int rank = (int) Math.ceil(percentile / 100.0 * sortedAscending.length);
        return sortedAscending[Math.max(rank, 1) - 1];
    }

    // ---------------------------------------------------------------- shared

    /** A pro account with a read key, as the authorizer would describe its caller. */
    private Caller createCaller(DynamoDbClient dynamo, Config config, String name) {
        Account account = new AccountRepository(dynamo, config, clock).create(name, Plan.PRO);
        ApiKey key = new ApiKeyRepository(dynamo, config, clock)
                .create(account.id(), "bench", EnumSet.of(Scope.READ), ApiKey.DEFAULT_RATE_LIMIT, null).key();
        return Caller.of(key, account);
    }

    private static Map<String, Object> machine() throws IOException {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("nproc", Runtime.getRuntime().availableProcessors());
        machine.put("memory_total_bytes", memTotalBytes());
        machine.put("cpu_model", cpuModel());
        machine.put("java_version", System.getProperty("java.version"));
        machine.put("java_vm", System.getProperty("java.vm.name"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        return machine;
    }

    private static long memTotalBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024; // the value is in kB
            }
        }
        throw new IOException("no MemTotal in /proc/meminfo");
    }

    private static String cpuModel() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "unknown";
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing: build first (mvn package -DskipTests)");
        }
    }

    private static String joined(List<String> lines) {
        synchronized (lines) {
            return lines.isEmpty() ? "(none)" : String.join("\n", lines);
        }
    }

    private static double median(List<Double> sortedAscending) {
        int n = sortedAscending.size();
        return n % 2 == 1 ? sortedAscending.get(n / 2) : (sortedAscending.get(n / 2 - 1) + sortedAscending.get(n / 2)) / 2;
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    private static List<Double> round(List<Double> values, int decimals) {
        return values.stream().map(v -> round(v, decimals)).toList();
    }
}
