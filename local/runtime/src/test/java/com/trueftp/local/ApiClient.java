package com.trueftp.local;

import com.trueftp.admin.AdminCli;
import com.trueftp.core.Json;
import com.trueftp.testing.Multipart;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** What a client of the local runtime does: HTTP calls, and admin commands as an operator runs them. */
final class ApiClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final String baseUrl;
    private final Path dataDir;

    ApiClient(String baseUrl, Path dataDir) {
        this.baseUrl = baseUrl;
        this.dataDir = dataDir;
    }

    HttpResponse<String> send(String method, String path, String token, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", token.startsWith("tftp_") ? "Bearer " + token : token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A body as bytes, with its content type (an upload). */
    HttpResponse<String> send(String method, String path, String token, String contentType, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Authorization", "Bearer " + token).header("Content-Type", contentType).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A GET that follows redirects, as {@code curl -L} and SDKs do. */
    HttpResponse<byte[]> download(String path, String token) throws IOException, InterruptedException {
        HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).build();
        return following.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A multipart/form-data body with one field named {@code file}, as {@code curl -F file=@name} sends it. */
    static byte[] multipartFile(String filename, byte[] content) {
        return Multipart.body("file", filename, content);
    }

    static final String MULTIPART_TYPE = Multipart.CONTENT_TYPE;

    CompletableFuture<HttpResponse<String>> sendAsync(String method, String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + token);
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        return send("GET", path, token, null);
    }

    static Map<String, Object> json(HttpResponse<String> response) throws IOException {
        return Json.readObject(response.body());
    }

    /** The result of one {@code ./trueftp admin} command line. */
    record AdminResult(int exitCode, String stdout, String stderr) {
        Map<String, Object> json() throws IOException {
            return Json.readObject(stdout);
        }
    }

    AdminResult admin(String... args) {
        List<String> all = new ArrayList<>(List.of("--data", dataDir.toString()));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AdminCli.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new AdminResult(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Creates an account and a key through the admin CLI; returns the token. */
    String newKey(String plan, String scopes) throws IOException {
        String account = (String) admin("create-account", "--plan", plan).json().get("id");
        return (String) admin("create-key", "--account", account, "--scopes", scopes).json().get("token");
    }
}
