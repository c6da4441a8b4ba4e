package com.trueftp.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiPredicate;

/**
 * An endpoint before an emulator that lets reads through and refuses writes, remembering each one: what a
 * client bound to it tried to change. For DynamoDB a write is an operation of {@link #DYNAMODB_WRITES}; for S3
 * any PUT, POST or DELETE. {@code allowed} lets named writes through (the hourly rate-limit counter).
 */
final class WriteRefusingProxy implements AutoCloseable {
    static final Set<String> DYNAMODB_WRITES = Set.of("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem",
            "TransactWriteItems");
    private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "connection", "expect",
            "upgrade", "transfer-encoding", "keep-alive", "te", "trailer", "date", "via", "warning", "from");

    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String target;
    private final boolean dynamoDb;
    private final BiPredicate<String, String> allowed;
    private final List<String> refused = new CopyOnWriteArrayList<>();

    private WriteRefusingProxy(String target, boolean dynamoDb, BiPredicate<String, String> allowed) throws IOException {
        this.target = target;
        this.dynamoDb = dynamoDb;
        this.allowed = allowed;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** @param allowed (operation, body) of a write to let through anyway */
    static WriteRefusingProxy dynamoDb(String endpoint, BiPredicate<String, String> allowed) throws IOException {
        return new WriteRefusingProxy(endpoint, true, allowed);
    }

    static WriteRefusingProxy s3(String endpoint) throws IOException {
        return new WriteRefusingProxy(endpoint, false, (method, path) -> false);
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The writes refused so far: the DynamoDB operation and its body, or the S3 method and path. */
    List<String> refused() {
        return List.copyOf(refused);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String method = exchange.getRequestMethod();
            String what = dynamoDb ? operation(exchange) : method;
            String detail = dynamoDb ? new String(body, StandardCharsets.UTF_8) : exchange.getRequestURI().getRawPath();
            boolean write = dynamoDb ? DYNAMODB_WRITES.contains(what) : Set.of("PUT", "POST", "DELETE").contains(method);
            if (write && !allowed.test(what, detail)) {
                refused.add(what + " " + detail);
                byte[] answer = dynamoDb
                        ? "{\"__type\":\"com.amazonaws.dynamodb.v20120810#AccessDeniedException\",\"message\":\"a read wrote\"}"
                        .getBytes(StandardCharsets.UTF_8)
                        : "<Error><Code>AccessDenied</Code><Message>a read wrote</Message></Error>".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(dynamoDb ? 400 : 403, answer.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
                return;
            }
            forward(exchange, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void forward(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        response.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":") && !NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        boolean head = exchange.getRequestMethod().equals("HEAD");
        if (head) {
            response.headers().firstValue("Content-Length").ifPresent(l -> exchange.getResponseHeaders().set("Content-Length", l));
        }
        exchange.sendResponseHeaders(response.statusCode(), head || response.body().length == 0 ? -1 : response.body().length);
        if (!head && response.body().length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        }
    }

    private static String operation(HttpExchange exchange) {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        return target == null ? "" : target.substring(target.indexOf('.') + 1);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
