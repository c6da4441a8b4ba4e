package com.trueftp.local;

import com.trueftp.stack.LocalStackFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** ./trueftp local as a process: it announces its URL, keeps data across restarts, and SIGTERM stops all of it. */
class LocalMainProcessIT {
    private static final Pattern LISTENING = Pattern.compile("TrueFTP API listening on (http://127\\.0\\.0\\.1:\\d+/api/ext/v1)");

    @TempDir
    Path data;

    private record Started(Process process, String url) {
    }

    private Started start() throws Exception {
        Path jar = Path.of("target/trueftp-local.jar").toAbsolutePath();
        Process process = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
                jar.toString(), "--port", "0", "--data", data.toString(), "--quiet"))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            Matcher m = LISTENING.matcher(line);
            if (m.matches()) {
                return new Started(process, m.group(1));
            }
        }
        throw new AssertionError("the local runtime exited without listening: " + process.waitFor());
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

    private static HttpResponse<String> get(String url, String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/account"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }
}
