package com.trueftp.emulators;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A thin HTTP front before the S3 emulator: every S3 call and presigned URL of the local runtime and the tests
 * goes through it. It does what S3 does and the emulator does not: a conditional write or delete
 * ({@code If-None-Match}, {@code If-Match}) is checked and applied atomically per key, and {@code DeleteObjects}
 * honours each object's {@code ETag} (a changed object is a {@code PreconditionFailed} error, a missing one
 * {@code NoSuchKey}). Everything else passes through unchanged.
 */
final class S3Front implements AutoCloseable {
    /** Headers the JDK's HTTP client sets itself, and hop-by-hop ones. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "connection", "expect",
            "upgrade", "transfer-encoding", "keep-alive", "te", "trailer", "date", "via", "warning", "from");
    private static final String S3_XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/";

    private volatile HttpServer server;
    private final int port;
    private final ExecutorService threads;
    private final HttpClient client;
    private final String backend;
    private final KeyLocks locks = new KeyLocks();
    private volatile S3Notifications notifications;
    /** While frozen, requests are held unanswered (a stalled S3); thawing lets them through. */
    private final Object thawed = new Object();
    private boolean frozen;

    private S3Front(HttpServer server, ExecutorService threads, String backend) {
        this.server = server;
        this.port = server.getAddress().getPort();
        this.threads = threads;
        this.backend = backend;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).executor(threads).build();
    }

    /** Starts on a free port of 127.0.0.1, forwarding to the emulator at {@code backend}. */
    static S3Front start(String backend) throws IOException {
        ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "s3-front");
            thread.setDaemon(true);
            return thread;
        });
        S3Front front = new S3Front(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0),
                threads, backend);
        front.serve(front.server);
        return front;
    }

    private void serve(HttpServer listening) {
        listening.createContext("/", this::handle);
        listening.setExecutor(threads);
        listening.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Holds every request from now on unanswered (frozen), or lets them all through (thawed). */
    void freeze(boolean freeze) {
        synchronized (thawed) {
            frozen = freeze;
            thawed.notifyAll();
        }
    }

    /**
     * Stops listening (new connections are refused, as when S3 is unreachable; requests already in hand finish
     * first, within 5 s) or listens again on the same port.
     */
    void listen(boolean listen) throws IOException {
        if (listen) {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            serve(server);
        } else {
            server.stop(5);
        }
    }

    /**
     * Holds a request while frozen; one that was held is then answered 503 and not carried out, like a request
     * a stalled S3 never got to (its client has long given up on it).
     */
    private void awaitThaw() throws InterruptedException, IOException {
        boolean held = false;
        synchronized (thawed) {
            while (frozen) {
                held = true;
                thawed.wait();
            }
        }
        if (held) {
            throw new IOException("held while S3 was frozen: not carried out");
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            awaitThaw();
            S3Call call = S3Call.of(exchange);
            if (call.isDeleteObjects()) {
                deleteObjects(exchange, call);
            } else if (call.writesObject()) {
                try (KeyLocks.Held held = locks.hold(call.key())) {
                    Optional<String> refusal = refusal(call, exchange);
                    if (refusal.isPresent()) {
                        sendError(exchange, refusal.get());
                    } else {
                        S3Notifications notify = notifications;
                        boolean existed = notify != null && call.method().equals("DELETE") && headOf(call.key()).isPresent();
                        int status = forward(exchange, call, true);
                        if (notify != null && status / 100 == 2) {
                            notifyWrite(notify, call, exchange, existed); // under the key's lock: in change order
                        }
                    }
                }
            } else {
                forward(exchange, call, false);
            }
        } catch (IOException | RuntimeException e) {
            sendQuietly(exchange, 503, error("ServiceUnavailable", "the S3 front failed: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The error code a conditional write or delete meets now (held under the key's lock), if any. */
    private Optional<String> refusal(S3Call call, HttpExchange exchange) throws IOException, InterruptedException {
        String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
        String ifMatch = exchange.getRequestHeaders().getFirst("If-Match");
        if (ifNoneMatch == null && ifMatch == null) {
            return Optional.empty();
        }
        Optional<String> etag = etagOf(call.key());
        if (ifNoneMatch != null && etag.isPresent()) {
            return Optional.of("PreconditionFailed");
        }
        return ifMatch == null ? Optional.empty() : mismatch(ifMatch, etag);
    }

    private static Optional<String> mismatch(String expected, Optional<String> etag) {
        if (etag.isEmpty()) {
            return Optional.of("NoSuchKey");
        }
        return expected.equals("*") || unquoted(expected).equals(unquoted(etag.get()))
                ? Optional.empty() : Optional.of("PreconditionFailed");
    }

    /** Sends S3's notifications to this SQS queue from now on (S3Mock sends none). */
    void notifyTo(String queueUrl) {
        notifications = new S3Notifications(queueUrl);
    }

    /** The notification of a write or delete the emulator carried out: what S3 would send. */
    private void notifyWrite(S3Notifications notify, S3Call call, HttpExchange exchange, boolean existed)
            throws IOException, InterruptedException {
        String bucket = S3Call.bucketOf(call.key());
        String key = S3Call.keyWithinBucket(call.key()).substring(1);
        if (call.method().equals("DELETE")) {
            if (existed) {
                notify.removed(bucket, key);
            }
            return;
        }
        Optional<Head> head = headOf(call.key());
        if (head.isPresent()) {
            String how = call.method().equals("POST") ? "CompleteMultipartUpload"
                    : exchange.getRequestHeaders().containsKey("x-amz-copy-source") ? "Copy" : "Put";
            notify.created(how, bucket, key, head.get().size(), head.get().etag());
        }
    }

    /** An object's size and ETag. */
    private record Head(long size, String etag) {
    }

    /** The object's current ETag, asked of the emulator, or empty when there is no object. */
    private Optional<String> etagOf(String key) throws IOException, InterruptedException {
        return headOf(key).map(Head::etag);
    }

    private Optional<Head> headOf(String key) throws IOException, InterruptedException {
        HttpResponse<Void> head = client.send(HttpRequest.newBuilder(objectUri(key))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        if (head.statusCode() == 404) {
            return Optional.empty();
        }
        if (head.statusCode() != 200) {
            throw new IOException("the S3 emulator answered HEAD with " + head.statusCode());
        }
        return Optional.of(new Head(head.headers().firstValueAsLong("Content-Length").orElse(0),
                head.headers().firstValue("ETag").orElse("")));
    }

    /**
     * {@code DeleteObjects} as S3 answers it: each object deleted or refused on its own ({@code Quiet} leaves out
     * the deleted ones). Every key is held, in key order, while its ETag is checked and the objects that pass
     * are deleted, in one call to the emulator.
     */
    private void deleteObjects(HttpExchange exchange, S3Call call) throws IOException, InterruptedException {
        Document request = parse(exchange.getRequestBody().readAllBytes());
        boolean quiet = "true".equals(text(request.getDocumentElement(), "Quiet"));
        Map<String, String> expected = new LinkedHashMap<>(); // key within the bucket → ETag (null: none)
        NodeList objects = request.getDocumentElement().getElementsByTagNameNS("*", "Object");
        for (int i = 0; i < objects.getLength(); i++) {
            Element object = (Element) objects.item(i);
            expected.put(text(object, "Key"), text(object, "ETag"));
        }
        Map<String, String> refused = new LinkedHashMap<>();
        List<KeyLocks.Held> held = new ArrayList<>();
        try {
            for (String key : new TreeSet<>(expected.keySet())) {
                held.add(locks.hold(call.bucket() + "/" + key));
            }
            for (Map.Entry<String, String> object : expected.entrySet()) {
                if (object.getValue() != null) {
                    mismatch(object.getValue(), etagOf(call.bucket() + "/" + object.getKey()))
                            .ifPresent(code -> refused.put(object.getKey(), code));
                }
            }
            List<String> passing = expected.keySet().stream().filter(k -> !refused.containsKey(k)).toList();
            S3Notifications notify = notifications;
            List<String> existing = new ArrayList<>();
            for (String key : notify == null ? List.<String>of() : passing) {
                if (headOf(call.bucket() + "/" + key).isPresent()) {
                    existing.add(key);
                }
            }
            if (!passing.isEmpty()) {
                refused.putAll(deleteInEmulator(call.bucket(), passing));
            }
            for (String key : existing) {
                if (!refused.containsKey(key)) {
                    notify.removed(call.bucket(), key); // under every key's lock: in change order
                }
            }
        } finally {
            held.forEach(KeyLocks.Held::close);
        }
        StringBuilder result = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><DeleteResult xmlns=\"")
                .append(S3_XMLNS).append("\">");
        for (String key : expected.keySet()) {
            String code = refused.get(key);
            if (code != null) {
                result.append("<Error><Key>").append(xml(key)).append("</Key><Code>").append(code)
                        .append("</Code><Message>").append(code).append("</Message></Error>");
            } else if (!quiet) {
                result.append("<Deleted><Key>").append(xml(key)).append("</Key></Deleted>");
            }
        }
        byte[] body = result.append("</DeleteResult>").toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/xml");
        send(exchange, 200, body);
    }

    /** One unconditional DeleteObjects to the emulator; answers the keys it refused, with their codes. */
    private Map<String, String> deleteInEmulator(String bucket, List<String> keys)
            throws IOException, InterruptedException {
        StringBuilder xml = new StringBuilder("<Delete xmlns=\"").append(S3_XMLNS).append("\"><Quiet>true</Quiet>");
        keys.forEach(key -> xml.append("<Object><Key>").append(xml(key)).append("</Key></Object>"));
        byte[] body = xml.append("</Delete>").toString().getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create(backend + "/" + bucket + "?delete"))
                .header("Content-Type", "application/xml").header("Content-MD5", md5(body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("the S3 emulator answered DeleteObjects with " + response.statusCode());
        }
        Map<String, String> refused = new LinkedHashMap<>();
        NodeList errors = parse(response.body()).getDocumentElement().getElementsByTagNameNS("*", "Error");
        for (int i = 0; i < errors.getLength(); i++) {
            Element error = (Element) errors.item(i);
            refused.put(text(error, "Key"), text(error, "Code"));
        }
        return refused;
    }

    private static String md5(byte[] bytes) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 unavailable", e);
        }
    }

    /** @return the emulator's status, as sent on */
    private int forward(HttpExchange exchange, S3Call call, boolean dropConditions)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(backend + call.rawTarget()));
        exchange.getRequestHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            boolean condition = lower.equals("if-match") || lower.equals("if-none-match");
            if (!NOT_FORWARDED.contains(lower) && !(dropConditions && condition)) {
                values.forEach(value -> request.header(name, value));
            }
        });
        request.method(exchange.getRequestMethod(), body(exchange));
        HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        response.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.startsWith(":") && !NOT_FORWARDED.contains(lower)) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        try (InputStream in = response.body()) {
            if (exchange.getRequestMethod().equals("HEAD")) {
                if (length >= 0) { // the object's size: the JDK server sends it as given for HEAD
                    exchange.getResponseHeaders().set("Content-Length", Long.toString(length));
                }
                exchange.sendResponseHeaders(response.statusCode(), -1);
                return response.statusCode();
            }
            boolean empty = length == 0 || response.statusCode() == 204 || response.statusCode() == 304;
            exchange.sendResponseHeaders(response.statusCode(), empty ? -1 : Math.max(length, 0));
            if (!empty) {
                try (OutputStream out = exchange.getResponseBody()) {
                    in.transferTo(out);
                }
            }
        }
        return response.statusCode();
    }

    private static HttpRequest.BodyPublisher body(HttpExchange exchange) {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        boolean chunked = exchange.getRequestHeaders().containsKey("Transfer-Encoding");
        if ((length == null && !chunked) || "0".equals(length)) {
            return HttpRequest.BodyPublishers.noBody();
        }
        HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(exchange::getRequestBody);
        return length == null ? stream : HttpRequest.BodyPublishers.fromPublisher(stream, Long.parseLong(length));
    }

    private URI objectUri(String key) {
        StringBuilder path = new StringBuilder(backend).append('/').append(S3Call.bucketOf(key));
        for (byte b : S3Call.keyWithinBucket(key).getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-_.~/".indexOf(c) >= 0;
            path.append(plain ? String.valueOf(c) : String.format("%%%02X", b & 0xff));
        }
        return URI.create(path.toString());
    }

    private static Document parse(byte[] xml) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("DeleteObjects body is not XML", e);
        }
    }

    private static String text(Element parent, String name) {
        NodeList nodes = parent.getElementsByTagNameNS("*", name);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
    }

    private static String unquoted(String etag) {
        return etag.strip().replace("\"", "");
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static byte[] error(String code, String message) {
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>"
                + xml(message) + "</Message></Error>").getBytes(StandardCharsets.UTF_8);
    }

    private static void sendError(HttpExchange exchange, String code) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/xml");
        send(exchange, code.equals("NoSuchKey") ? 404 : 412, error(code, code));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getRequestBody().readAllBytes(); // a refused PUT's body is still on the connection
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void sendQuietly(HttpExchange exchange, int status, byte[] body) {
        try {
            send(exchange, status, body);
        } catch (IOException | RuntimeException alreadyAnswering) {
            // the answer had started: the connection closes, and the client sees it broken
        }
    }

    @Override
    public void close() {
        freeze(false);
        server.stop(0);
        threads.shutdownNow();
    }

    /** One request to the front: its target as sent, and the bucket and key it names (path-style). */
    private record S3Call(String method, String rawTarget, String key, List<String> params) {
        static S3Call of(HttpExchange exchange) {
            URI uri = exchange.getRequestURI();
            String rawPath = uri.getRawPath() == null ? "/" : uri.getRawPath();
            String rawQuery = uri.getRawQuery();
            String path = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
            List<String> params = rawQuery == null ? List.of() : List.of(rawQuery.split("&")).stream()
                    .map(p -> p.split("=", 2)[0]).toList();
            return new S3Call(exchange.getRequestMethod(), rawPath + (rawQuery == null ? "" : "?" + rawQuery),
                    path.substring(1), params);
        }

        /** "bucket/key": a key within a bucket, or only the bucket. */
        boolean namesObject() {
            return key.indexOf('/') > 0 && key.indexOf('/') < key.length() - 1;
        }

        boolean isDeleteObjects() {
            return method.equals("POST") && !namesObject() && params.contains("delete");
        }

        /** PutObject, CopyObject, CompleteMultipartUpload, DeleteObject: what replaces or removes an object. */
        boolean writesObject() {
            if (!namesObject()) {
                return false;
            }
            return switch (method) {
                case "PUT" -> !params.contains("partNumber");
                case "POST" -> params.contains("uploadId");
                case "DELETE" -> !params.contains("uploadId");
                default -> false;
            };
        }

        String bucket() {
            return key.indexOf('/') < 0 ? key : bucketOf(key);
        }

        static String bucketOf(String key) {
            return key.substring(0, key.indexOf('/'));
        }

        static String keyWithinBucket(String key) {
            return key.substring(key.indexOf('/'));
        }
    }
}
