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
import java.security.SecureRandom;
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
 * {@code NoSuchKey}). It gives every change a version id, as a bucket with versioning enabled does (S3Mock's own
 * versioning is incomplete): a write answers {@code x-amz-version-id}, a delete {@code x-amz-delete-marker} and
 * the delete marker's id, {@code DeleteObjects} each marker's id; old versions are not kept. Everything else
 * passes through unchanged.
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
    private static final SecureRandom RANDOM = new SecureRandom();
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
                        String version = newVersionId();
                        Map<String, String> versionHeaders = call.method().equals("DELETE")
                                ? Map.of("x-amz-version-id", version, "x-amz-delete-marker", "true")
                                : Map.of("x-amz-version-id", version);
                        HttpResponse<InputStream> carried = toEmulator(exchange, call, true);
                        if (notify != null && carried.statusCode() / 100 == 2) {
                            // Under the key's lock, in change order, and before the answer: once a client has its
                            // answer, the notification is in the queue (S3 sends it later; tests rely on this).
                            notifyWrite(notify, call, exchange, existed, version);
                        }
                        relay(exchange, carried, versionHeaders);
                    }
                }
            } else {
                relay(exchange, toEmulator(exchange, call, false), null);
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
    private void notifyWrite(S3Notifications notify, S3Call call, HttpExchange exchange, boolean existed,
                             String version) throws IOException, InterruptedException {
        String bucket = S3Call.bucketOf(call.key());
        String key = S3Call.keyWithinBucket(call.key()).substring(1);
        String principal = principalOf(exchange);
        if (call.method().equals("DELETE")) {
            if (existed) {
                notify.removed(bucket, key, version, principal);
            }
            return;
        }
        Optional<Head> head = headOf(call.key());
        if (head.isPresent()) {
            String how = call.method().equals("POST") ? "CompleteMultipartUpload"
                    : exchange.getRequestHeaders().containsKey("x-amz-copy-source") ? "Copy" : "Put";
            notify.created(how, bucket, key, new S3Notifications.Version(head.get().size(), head.get().etag(), version),
                    principal);
        }
    }

    /** A version id as S3 makes them: opaque, unique, URL-safe. */
    private static String newVersionId() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Who made the request, as S3 names the principal in a notification: here {@code AWS:} and the access key id
     * it was signed with (in the {@code Authorization} header, or a presigned URL's {@code X-Amz-Credential}).
     */
    static String principalOf(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String credential = null;
        if (authorization != null && authorization.contains("Credential=")) {
            credential = authorization.substring(authorization.indexOf("Credential=") + "Credential=".length());
        } else if (exchange.getRequestURI().getRawQuery() != null) {
            for (String param : exchange.getRequestURI().getRawQuery().split("&", -1)) {
                if (param.startsWith("X-Amz-Credential=")) {
                    credential = URLDecoder.decode(param.substring("X-Amz-Credential=".length()), StandardCharsets.UTF_8);
                }
            }
        }
        return credential == null ? "ANONYMOUS" : "AWS:" + credential.substring(0, Math.max(credential.indexOf('/'), 0));
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
        Map<String, String> markers = new LinkedHashMap<>(); // key → the id of the delete marker it gets
        String principal = principalOf(exchange);
        List<KeyLocks.Held> held = new ArrayList<>();
        try {
            for (String key : new TreeSet<>(expected.keySet())) {
                held.add(locks.hold(call.bucket() + "/" + key));
            }
            List<String> existing = new ArrayList<>(); // one HEAD per key: its ETag's check and whether it is there
            for (Map.Entry<String, String> object : expected.entrySet()) {
                Optional<String> etag = etagOf(call.bucket() + "/" + object.getKey());
                Optional<String> mismatch = object.getValue() == null ? Optional.empty() : mismatch(object.getValue(), etag);
                mismatch.ifPresent(code -> refused.put(object.getKey(), code));
                if (mismatch.isEmpty() && etag.isPresent()) {
                    existing.add(object.getKey());
                }
            }
            List<String> passing = expected.keySet().stream().filter(k -> !refused.containsKey(k)).toList();
            passing.forEach(key -> markers.put(key, newVersionId()));
            if (!passing.isEmpty()) {
                refused.putAll(deleteInEmulator(call.bucket(), passing));
            }
            S3Notifications notify = notifications;
            if (notify != null) {
                Map<String, String> removed = new LinkedHashMap<>();
                existing.stream().filter(key -> !refused.containsKey(key)).forEach(key -> removed.put(key, markers.get(key)));
                notify.removedAll(call.bucket(), removed, principal); // under the locks: in change order
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
                result.append("<Deleted><Key>").append(xml(key)).append("</Key><DeleteMarker>true</DeleteMarker>")
                        .append("<DeleteMarkerVersionId>").append(markers.get(key)).append("</DeleteMarkerVersionId></Deleted>");
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

    /**
     * Sends the request on to the emulator.
     *
     * @param dropConditions true when the front checked the request's conditions itself
     */
    private HttpResponse<InputStream> toEmulator(HttpExchange exchange, S3Call call, boolean dropConditions)
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
        return client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    /**
     * Sends the emulator's answer back to the client.
     *
     * @param change the headers a successful change answers with (null: the request changes nothing)
     */
    private static void relay(HttpExchange exchange, HttpResponse<InputStream> response, Map<String, String> change)
            throws IOException {
        response.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.startsWith(":") && !NOT_FORWARDED.contains(lower)) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        if (change != null && response.statusCode() / 100 == 2) {
            change.forEach(exchange.getResponseHeaders()::set);
        }
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        try (InputStream in = response.body()) {
            if (exchange.getRequestMethod().equals("HEAD")) {
                if (length >= 0) { // the object's size: the JDK server sends it as given for HEAD
                    exchange.getResponseHeaders().set("Content-Length", Long.toString(length));
                }
                exchange.sendResponseHeaders(response.statusCode(), -1);
                return;
            }
            boolean empty = length == 0 || response.statusCode() == 204 || response.statusCode() == 304;
            exchange.sendResponseHeaders(response.statusCode(), empty ? -1 : Math.max(length, 0));
            if (!empty) {
                try (OutputStream out = exchange.getResponseBody()) {
                    in.transferTo(out);
                }
            }
        }
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
