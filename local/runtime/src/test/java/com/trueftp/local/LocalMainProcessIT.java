package com.trueftp.local;

import com.trueftp.stack.LocalStackFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** ./trueftp local as a process: it announces its URL, keeps data across restarts, and SIGTERM stops all of it. */
class LocalMainProcessIT {
    private static final Pattern LISTENING = Pattern.compile("TrueFTP API listening on (http://127\\.0\\.0\\.1:\\d+/api/ext/v1)");
    private static final Pattern SFTP_LISTENING = Pattern.compile("TrueFTP SFTP listening on sftp://127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path data;

    private record Started(Process process, String url) {
    }

    private record Finished(int exitCode, String stdout, String stderr) {
    }

    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
                Path.of("target/trueftp-local.jar").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        return command;
    }

    private Started start() throws Exception {
        Process process = new ProcessBuilder(command("--port", "0", "--sftp-port", "0", "--data", data.toString(),
                "--quiet")).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String url = null;
        for (String line; (line = out.readLine()) != null; ) {
            Matcher api = LISTENING.matcher(line);
            if (api.matches()) {
                url = api.group(1);
            }
            Matcher sftp = SFTP_LISTENING.matcher(line);
            if (sftp.matches()) { // printed last: both are ready
                assertThat(url).as("the API's line comes first").isNotNull();
                assertThat(Integer.parseInt(sftp.group(1))).isPositive();
                return new Started(process, url);
            }
        }
        throw new AssertionError("the local runtime exited without listening: " + process.waitFor());
    }

    /** Runs the local runtime with {@code args} until it exits by itself. */
    private Finished runToExit(String... args) throws Exception {
        Process process = new ProcessBuilder(command(args)).start();
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        String stdout = readAll(process.getInputStream());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
        return new Finished(process.exitValue(), stdout, stderr.join());
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int stopWithSigterm(Process process) throws Exception {
        List<ProcessHandle> children = process.descendants().toList();
        assertThat(children).as("the emulator child process").isNotEmpty();
        long started = System.nanoTime();
        process.destroy(); // SIGTERM
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("stopped within 10 s").isTrue();
        for (ProcessHandle child : children) {
            long left = Math.max(1, 10_000 - (System.nanoTime() - started) / 1_000_000);
            child.onExit().get(left, TimeUnit.MILLISECONDS);
            assertThat(child.isAlive()).isFalse();
        }
        return process.exitValue();
    }

    @Test
    void sigtermStopsTheRuntimeAndItsEmulatorsAndDataSurvivesARestart() throws Exception {
        Started first = start();
        ApiClient admin = new ApiClient(first.url(), data);
        String token = admin.newKey("pro", "read,write");
        assertThat(get(first.url(), token).statusCode()).isEqualTo(200);
        String user = (String) ApiClient.json(admin.send("POST", "/ftp-users", token,
                "{\"username\":\"keeper\",\"password\":\"a-strong-secret\"}")).get("id");
        byte[] content = "kept across restarts".getBytes(StandardCharsets.UTF_8);
        assertThat(admin.send("POST", "/ftp-users/" + user + "/files?path=/kept.txt", token, ApiClient.MULTIPART_TYPE,
                ApiClient.multipartFile("kept.txt", content)).statusCode()).isEqualTo(201);
        stopWithSigterm(first.process());
        assertThat(Files.exists(data.resolve(LocalStackFile.NAME))).as("stack file removed on stop").isFalse();
        assertThat(admin.admin("list-keys", "--account", "acc_x").stderr()).contains("no local stack is running");

        Started second = start();
        assertThat(get(second.url(), token).statusCode()).as("the same key after a restart").isEqualTo(200);
        ApiClient again = new ApiClient(second.url(), data);
        assertThat(again.download("/ftp-users/" + user + "/files/download?path=/kept.txt", token).body())
                .as("the same file after a restart").isEqualTo(content);
        stopWithSigterm(second.process());
    }

    @Test
    void helpListsEachOptionAndStartsNothing() throws Exception {
        Finished help = runToExit("--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.stderr()).isEmpty();
        assertThat(help.stdout()).startsWith("Usage: ./trueftp local [-h] [--quiet] [--data DIR] [--port N]")
                .contains("gateway port (default: 3000; 0 picks a free one)", "data directory (default: .trueftp/local)",
                        "SFTP port (default: 2222; 0 picks a free one)",
                        "log warnings and errors only", "AUTH_CACHE_TTL_SECONDS");
        assertThat(Files.exists(data.resolve(LocalStackFile.NAME))).isFalse();
    }

    @Test
    void wrongOptionsExitWithCode2AndTheReason() throws Exception {
        Map<List<String>, String> reasons = Map.of(
                List.of("--port", "65536"), "--port must be a number from 0 to 65535, got 65536",
                List.of("--port", "http"), "--port must be a number from 0 to 65535, got http",
                List.of("--sftp-port", "-1"), "--sftp-port must be a number from 0 to 65535, got -1",
                List.of("--verbose"), "unknown option --verbose (see ./trueftp local --help)",
                List.of("--port"), "--port needs a value (see ./trueftp local --help)",
                List.of("--quiet", "--quiet"), "--quiet given twice (see ./trueftp local --help)");
        for (Map.Entry<List<String>, String> wrong : reasons.entrySet()) {
            Finished finished = runToExit(wrong.getKey().toArray(String[]::new));
            assertThat(finished.exitCode()).as(wrong.getKey().toString()).isEqualTo(2);
            assertThat(finished.stderr()).isEqualTo("error: " + wrong.getValue() + System.lineSeparator());
            assertThat(finished.stdout()).isEmpty();
        }
    }

    @Test
    void aPortInUseIsNamedWithWhatToDo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Finished finished = runToExit("--port", String.valueOf(taken.getLocalPort()), "--sftp-port", "0",
                    "--data", data.toString());

            assertThat(finished.exitCode()).isEqualTo(2);
            assertThat(finished.stderr()).contains("error: port " + taken.getLocalPort()
                    + " is in use: pick another with --port");
            assertThat(finished.stdout()).doesNotContain("listening");

            Finished sftp = runToExit("--port", "0", "--sftp-port", String.valueOf(taken.getLocalPort()),
                    "--data", data.toString());
            assertThat(sftp.exitCode()).isEqualTo(2);
            assertThat(sftp.stderr()).contains("error: SFTP port " + taken.getLocalPort()
                    + " is in use: pick another with --sftp-port");
            assertThat(sftp.stdout()).doesNotContain("listening");
        }
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/account"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }
}
