package com.trueftp.bench;

import com.trueftp.emulators.ProjectPaths;
import com.trueftp.http.Routes;
import com.trueftp.stack.LambdaFunction;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * (a) Simulated cold starts of the account function (GET /account) and the files function
 * (GET …/files?path=/): each run a fresh JVM with Lambda-like flags and the deployed lambda.jar plus
 * {@link ColdStartProbe}, timed from process start to the 200, against the emulators.
 */
final class ColdStartBench {
    static final int RUNS = 5;
    static final List<String> JVM_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    static final Duration PROBE_TIMEOUT = Duration.ofMinutes(2);
    private static final Pattern PROBE_LINE =
            Pattern.compile(Pattern.quote(ColdStartProbe.RESULT_PREFIX) + "status=(\\d+) init_us=(\\d+) invoke_us=(\\d+)");

    private final Path root = ProjectPaths.root();

    Map<String, Object> run() throws Exception {
        Map<String, Object> json = new LinkedHashMap<>();
        try (Fixture fixture = Fixture.start()) {
            List<String> context = new ArrayList<>();
            fixture.caller().toAuthorizerContext().forEach((k, v) -> context.add(k + "=" + v));
            Map<String, String> env = functionEnvironment(fixture.settings());

            List<String> account = new ArrayList<>(List.of(LambdaFunction.ACCOUNT.handler(),
                    Routes.BASE_PATH + "/account", Routes.BASE_PATH + "/account"));
            account.addAll(context);
            json.put("account", coldStart(LambdaFunction.ACCOUNT, "GET /account", account, env));
            System.out.println();

            String user = fixture.user().id();
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
        // The probe's own class only, not the bench jar: its manifest would bring every library along.
        Path probeClasses = root.resolve("bench/target/classes");
        requireFile(lambdaJar);
        requireFile(probeClasses.resolve(ColdStartProbe.class.getName().replace('.', '/') + ".class"));
        long jarBytes = Files.size(lambdaJar);

        System.out.printf("(a) Simulated cold start of the %s function: %s, %d runs%n", function.id(), request, RUNS);
        System.out.printf("    each run: a fresh JVM (%s) with functions/%s/target/lambda.jar (%.1f MiB, "
                        + "%,d bytes) and the probe class; wall time from process start to its 200%n",
                String.join(" ", JVM_FLAGS), function.id(), jarBytes / (1024.0 * 1024), jarBytes);

        long[] wall = new long[RUNS];
        long[] init = new long[RUNS];
        long[] invoke = new long[RUNS];
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.addAll(List.of("-cp", lambdaJar + ":" + probeClasses, ColdStartProbe.class.getName()));
        command.addAll(probeArgs);
        System.out.println("    run   wall ms   of which handler init ms   first invoke ms");
        for (int run = 0; run < RUNS; run++) {
            ProbeResult r = runProbe(command, env);
            wall[run] = r.wallNanos();
            init[run] = r.initNanos();
            invoke[run] = r.invokeNanos();
            System.out.printf("    %3d %9.0f %26.0f %17.0f%n", run + 1, Timings.ms(r.wallNanos()),
                    Timings.ms(r.initNanos()), Timings.ms(r.invokeNanos()));
        }
        Timings walls = Timings.of(wall);
        System.out.printf("    wall time: median %.0f ms, min %.0f ms, max %.0f ms%n",
                walls.medianMs(), walls.minMs(), walls.maxMs());
        System.out.printf("    (handler init = building the event and the handler's no-arg constructor (Dagger, SDK "
                + "clients); first invoke = handleRequest incl. its first AWS calls; the rest is JVM start and class loading)%n");

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("runs", RUNS);
        json.put("jvm_flags", JVM_FLAGS);
        json.put("lambda_jar_bytes", jarBytes);
        json.put("wall_ms", walls.allMs(1));
        json.put("median_ms", Timings.round(walls.medianMs(), 1));
        json.put("min_ms", Timings.round(walls.minMs(), 1));
        json.put("max_ms", Timings.round(walls.maxMs(), 1));
        json.put("handler_init_ms", Timings.of(init).allMs(1));
        json.put("first_invoke_ms", Timings.of(invoke).allMs(1));
        return json;
    }

    private record ProbeResult(long wallNanos, long initNanos, long invokeNanos) {
    }

    /** One fresh JVM: wall time from start() to reading its result line, which must say 200. */
    private static ProbeResult runProbe(List<String> command, Map<String, String> env) throws Exception {
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
            long wallNanos = resultReadAt.get() - started;
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
            return new ProbeResult(wallNanos, Long.parseLong(m.group(2)) * 1000, Long.parseLong(m.group(3)) * 1000);
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
            // the process went away; reported by the caller as a missing result
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
}
