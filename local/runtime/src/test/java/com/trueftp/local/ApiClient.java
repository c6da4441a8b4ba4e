package com.trueftp.local;

import com.trueftp.admin.AdminCli;
import com.trueftp.core.Json;
import com.trueftp.emulators.ProjectPaths;
import com.trueftp.http.Routes;
import com.trueftp.testing.Multipart;
import com.trueftp.testing.OpenApiContract;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What a client of the local runtime does: HTTP calls, and admin commands as an operator runs them. Every
 * answer is checked against docs/openapi.yaml, and so is every request the API accepted.
 */
final class ApiClient {
    private static final OpenApiContract CONTRACT = contract();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final String baseUrl;
    private final Path dataDir;

    ApiClient(String baseUrl, Path dataDir) {
        this.baseUrl = baseUrl;
        this.dataDir = dataDir;
    }

    HttpResponse<String> send(String method, String path, String token, String body) throws IOException, InterruptedException {
        return send(method, path, token, body, Map.of());
    }

    /** With headers of the caller's own, such as an {@code Idempotency-Key}. */
    HttpResponse<String> send(String method, String path, String token, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        if (token != null) {
            request.header("Authorization", token.startsWith("tftp_") ? "Bearer " + token : token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return checked(http.send(request.build(), HttpResponse.BodyHandlers.ofString()),
                body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    /** A body as bytes, with its content type (an upload). */
    HttpResponse<String> send(String method, String path, String token, String contentType, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Authorization", "Bearer " + token).header("Content-Type", contentType).build();
        return checked(http.send(request, HttpResponse.BodyHandlers.ofString()), body);
    }

    /** A GET that follows the API's redirect, as {@code curl -L} and SDKs do. */
    HttpResponse<byte[]> download(String path, String token) throws IOException, InterruptedException {
        HttpResponse<String> redirect = get(path, token);
        if (redirect.statusCode() != 302) {
            throw new AssertionError("expected a redirect, got " + redirect.statusCode() + " " + redirect.body());
        }
        URI location = URI.create(redirect.headers().firstValue("Location").orElseThrow());
        return http.send(HttpRequest.newBuilder(location).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A multipart/form-data body with one field named {@code file}, as {@code curl -F file=@name} sends it. */
    static byte[] multipartFile(String filename, byte[] content) {
        return Multipart.body("file", filename, content);
    }

    static final String MULTIPART_TYPE = Multipart.CONTENT_TYPE;

    CompletableFuture<HttpResponse<String>> sendAsync(String method, String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + token);
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> checked(response, null));
    }

    HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        return send("GET", path, token, null);
    }

    /**
     * The response, once it matches the document (status, headers, body), as must the request whenever the API
     * accepted it. Paths outside the route table (the gateway's 404) have no operation to hold them to.
     */
    private static HttpResponse<String> checked(HttpResponse<String> response, byte[] requestBody) {
        URI uri = response.request().uri();
        Optional<Routes.Match> match = Routes.match(uri.getRawPath());
        if (match.isEmpty()) {
            return response;
        }
        String method = response.request().method();
        String template = match.get().resource().substring(Routes.BASE_PATH.length());
        List<String> problems = new ArrayList<>(CONTRACT.validateResponse(method, template, response.statusCode(),
                response.headers().map(), response.headers().firstValue("Content-Type").orElse(null),
                response.body().getBytes(StandardCharsets.UTF_8)));
        if (response.statusCode() < 400) {
            problems.addAll(CONTRACT.validateRequest(method, template, query(uri),
                    response.request().headers().firstValue("Content-Type").orElse(null), requestBody));
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(method + " " + uri + " -> " + response.statusCode() + " " + response.body()
                    + " does not match docs/openapi.yaml: " + problems);
        }
        return response;
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> query = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&", -1)) {
                int eq = pair.indexOf('=');
                query.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    private static OpenApiContract contract() {
        try {
            return new OpenApiContract(ProjectPaths.root().resolve("docs/openapi.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    /** The account's file events (those with a path), oldest first, each as "type path size source". */
    @SuppressWarnings("unchecked")
    List<String> fileEvents(String token) {
        try {
            List<Map<String, Object>> data = (List<Map<String, Object>>) json(get("/events?limit=100", token)).get("data");
            List<String> events = new ArrayList<>();
            for (Map<String, Object> e : data) {
                if (e.get("path") != null) {
                    events.add(e.get("type") + " " + e.get("path") + " " + e.get("size") + " " + e.get("source"));
                }
            }
            Collections.reverse(events);
            return events;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The account's {@code storage_bytes.used}, as {@code GET /account} shows it. */
    @SuppressWarnings("unchecked")
    long storageUsed(String token) {
        try {
            Map<String, Object> quotas = (Map<String, Object>) json(get("/account", token)).get("quotas");
            return ((Number) ((Map<String, Object>) quotas.get("storage_bytes")).get("used")).longValue();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Creates an account and a key through the admin CLI; returns the token. */
    String newKey(String plan, String scopes) throws IOException {
        String account = (String) admin("create-account", "--plan", plan).json().get("id");
        return (String) admin("create-key", "--account", account, "--scopes", scopes).json().get("token");
    }
}
