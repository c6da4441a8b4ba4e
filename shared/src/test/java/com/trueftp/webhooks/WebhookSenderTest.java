package com.trueftp.webhooks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One attempt against real local receivers, well-behaved and not. */
class WebhookSenderTest {
    private static final String RECEIVER = "receiver.test";
    private static final Duration CONNECT = Duration.ofSeconds(1);
    private static final Duration TOTAL = Duration.ofSeconds(1);

    private final List<String> resolved = Collections.synchronizedList(new ArrayList<>());
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.start();
    }

    @AfterEach
    void stopEverything() throws Exception {
        server.stop(0);
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        threads.shutdownNow();
    }

    @Test
    void postsTheBodyAndHeadersExactlyAsGivenAndCapturesTheAnswer() throws Exception {
        AtomicReference<Received> received = new AtomicReference<>();
        server.createContext("/hook", exchange -> {
            received.set(Received.of(exchange));
            answer(exchange, 200, "thanks".getBytes(StandardCharsets.UTF_8));
        });
        byte[] body = new byte[256];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i; // every byte value: nothing may be re-encoded on the way
        }
        Map<String, String> headers = Map.of("Content-Type", "application/json", "User-Agent", "TrueFTP-Webhooks/1.0",
                "webhook-id", "msg_1", "webhook-timestamp", "1700000000", "webhook-signature", "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=");

        WebhookSender.Outcome outcome = sender(true).send(new WebhookSender.Request(url("http", "/hook?x=1"), headers, body));

        assertThat(outcome.status()).isEqualTo(200);
        assertThat(outcome.error()).isNull();
        assertThat(outcome.succeeded()).isTrue();
        assertThat(outcome.responseBody()).isEqualTo("thanks");
        assertThat(outcome.retryAfter()).isNull();
        assertThat(received.get().method()).isEqualTo("POST");
        assertThat(received.get().uri()).isEqualTo("/hook?x=1");
        assertThat(received.get().body()).isEqualTo(body);
        headers.forEach((name, value) -> assertThat(received.get().headers().get(name.toLowerCase(Locale.ROOT))).as(name).isEqualTo(List.of(value)));
        assertThat(received.get().headers()).doesNotContainKeys("cookie", "authorization", "accept-encoding");
        assertThat(resolved).containsExactly(RECEIVER);
    }

    @Test
    void capturesAServerErrorAndOnlyTheFirst4KiBOfItsBody() throws Exception {
        String longBody = "0123456789".repeat(1000);
        server.createContext("/hook", exchange -> answer(exchange, 500, longBody.getBytes(StandardCharsets.UTF_8)));

        WebhookSender.Outcome outcome = sender(true).send(request(url("http", "/hook")));

        assertThat(outcome.status()).isEqualTo(500);
        assertThat(outcome.error()).isNull();
        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.responseBody()).isEqualTo(longBody.substring(0, 4096));
    }

    @Test
    void doesNotFollowARedirect() throws Exception {
        AtomicInteger targetCalls = new AtomicInteger();
        server.createContext("/hook", exchange -> {
            exchange.getResponseHeaders().set("Location", "/elsewhere");
            answer(exchange, 302, new byte[0]);
        });
        server.createContext("/elsewhere", exchange -> {
            targetCalls.incrementAndGet();
            answer(exchange, 200, new byte[0]);
        });

        WebhookSender.Outcome outcome = sender(true).send(request(url("http", "/hook")));

        assertThat(outcome.status()).isEqualTo(302);
        assertThat(outcome.error()).isEqualTo(WebhookSender.REDIRECT);
        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.responseBody()).isNull();
        assertThat(targetCalls).hasValue(0);
    }

    @Test
    void timesOutAtTheDeadlineWhenTheReceiverNeverAnswers() throws Exception {
        ServerSocket silent = listener(); // the kernel accepts; nobody ever reads or answers

        WebhookSender sender = sender(true);
        long start = System.nanoTime();
        WebhookSender.Outcome outcome = sender.send(request(url("http", silent.getLocalPort(), "/hook")));

        assertTimedOutAtTheDeadline(outcome, start);
    }

    @Test
    void timesOutAtTheDeadlineWhenTheReceiverTricklesItsHeaders() throws Exception {
        ServerSocket trickler = listener();
        Future<?> unused = threads.submit(() -> trickle(trickler, "", "HTTP/1.1 200 OK\r\nX-Slow: " + "a".repeat(10_000)));

        WebhookSender sender = sender(true);
        long start = System.nanoTime();
        WebhookSender.Outcome outcome = sender.send(request(url("http", trickler.getLocalPort(), "/hook")));

        assertTimedOutAtTheDeadline(outcome, start);
    }

    @Test
    void timesOutAtTheDeadlineWhenTheReceiverTricklesItsBody() throws Exception {
        ServerSocket trickler = listener();
        Future<?> unused = threads.submit(() -> trickle(trickler, "HTTP/1.1 200 OK\r\nContent-Length: 10000\r\n\r\n", "b".repeat(10_000)));

        WebhookSender sender = sender(true);
        long start = System.nanoTime();
        WebhookSender.Outcome outcome = sender.send(request(url("http", trickler.getLocalPort(), "/hook")));

        assertTimedOutAtTheDeadline(outcome, start);
    }

    @Test
    void readsAtMost64KiBOfAHugeAnswerAndKeepsItsStatus() throws Exception {
        ServerSocket huge = listener();
        int size = 10 * 1024 * 1024;
        Future<Long> written = threads.submit(() -> {
            long count = 0;
            try (Socket socket = huge.accept()) {
                socket.setSendBufferSize(8 * 1024);
                readRequestHead(socket.getInputStream());
                OutputStream out = socket.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + size + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = new byte[8 * 1024];
                while (count < size) {
                    out.write(chunk);
                    count += chunk.length;
                }
            } catch (IOException closedByTheSender) {
                return count;
            }
            return count;
        });

        WebhookSender sender = sender(true);
        long start = System.nanoTime();
        WebhookSender.Outcome outcome = sender.send(request(url("http", huge.getLocalPort(), "/hook")));

        assertThat(outcome.status()).isEqualTo(200);
        assertThat(outcome.error()).isNull();
        assertThat(outcome.responseBody()).hasSize(4096);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TOTAL);
        // Draining would have let all 10 MiB through; the sender closed the connection instead.
        assertThat(written.get(5, TimeUnit.SECONDS)).isLessThan(size);
    }

    @Test
    void reportsARefusedConnection() throws Exception {
        ServerSocket closed = listener();
        int port = closed.getLocalPort();
        closed.close();

        WebhookSender.Outcome outcome = sender(true).send(request(url("http", port, "/hook")));

        assertThat(outcome).isEqualTo(new WebhookSender.Outcome(null, WebhookSender.CONNECTION_REFUSED, outcome.durationMillis(), null, null));
    }

    @Test
    void reportsAnUnknownHost() {
        WebhookSender.Outcome outcome = sender(true).send(request(URI.create("https://nowhere.test/hook")));

        assertThat(outcome).isEqualTo(new WebhookSender.Outcome(null, WebhookSender.UNKNOWN_HOST, outcome.durationMillis(), null, null));
        assertThat(resolved).containsExactly("nowhere.test");
    }

    @Test
    void readsRetryAfterInSecondsOrAsAnHttpDate() throws Exception {
        String inTwoMinutes = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
                .format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(120));
        for (String value : List.of("120", inTwoMinutes, "soon")) {
            server.createContext("/" + value.hashCode(), exchange -> {
                exchange.getResponseHeaders().set("Retry-After", value);
                answer(exchange, 503, new byte[0]);
            });
        }
        WebhookSender sender = sender(true);

        WebhookSender.Outcome seconds = sender.send(request(url("http", "/" + "120".hashCode())));
        WebhookSender.Outcome date = sender.send(request(url("http", "/" + inTwoMinutes.hashCode())));
        WebhookSender.Outcome unreadable = sender.send(request(url("http", "/" + "soon".hashCode())));

        assertThat(seconds.status()).isEqualTo(503);
        assertThat(seconds.error()).isNull();
        assertThat(seconds.retryAfter()).isEqualTo(Duration.ofMinutes(2));
        assertThat(date.retryAfter()).isBetween(Duration.ofSeconds(110), Duration.ofMinutes(2));
        assertThat(unreadable.status()).isEqualTo(503);
        assertThat(unreadable.retryAfter()).isNull();
    }

    @Test
    void servesSeveralThreadsAtOnce() throws Exception {
        List<String> bodies = Collections.synchronizedList(new ArrayList<>());
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            bodies.add(new String(body, StandardCharsets.UTF_8));
            answer(exchange, 204, new byte[0]);
        });
        WebhookSender sender = sender(true);

        List<CompletableFuture<WebhookSender.Outcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            byte[] body = ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
            outcomes.add(CompletableFuture.supplyAsync(
                    () -> sender.send(new WebhookSender.Request(url("http", "/hook"), Map.of(), body)), threads));
        }

        for (CompletableFuture<WebhookSender.Outcome> outcome : outcomes) {
            assertThat(outcome.get(5, TimeUnit.SECONDS).status()).isEqualTo(204);
        }
        assertThat(bodies).hasSize(20).doesNotHaveDuplicates();
    }

    @Test
    void refusesAHostThatResolvesToLoopbackWithoutConnecting() throws Exception {
        ServerSocket receiver = listener();

        WebhookSender.Outcome outcome = sender(false).send(request(url("https", receiver.getLocalPort(), "/hook")));

        assertThat(outcome).isEqualTo(new WebhookSender.Outcome(null, WebhookSender.REFUSED_ADDRESS, outcome.durationMillis(), null, null));
        assertNeverContacted(receiver);
        assertThat(resolved).containsExactly(RECEIVER);
    }

    @Test
    void refusesAHostWhoseAddressesAreAllRefused() throws Exception {
        ServerSocket receiver = listener();
        WebhookSender sender = sender(false, address("10.0.0.1"), InetAddress.getLoopbackAddress());

        WebhookSender.Outcome outcome = sender.send(request(url("https", receiver.getLocalPort(), "/hook")));

        assertThat(outcome).isEqualTo(new WebhookSender.Outcome(null, WebhookSender.REFUSED_ADDRESS, outcome.durationMillis(), null, null));
        assertNeverContacted(receiver);
    }

    @Test
    void connectsOnlyToTheAllowedAddressOfAHostThatAlsoResolvesToARefusedOne() throws Exception {
        ServerSocket receiver = listener(); // on loopback, the refused address listed first: it must not be tried
        WebhookSender sender = new WebhookSender(false, resolver(InetAddress.getLoopbackAddress(), address("203.0.113.7")),
                Duration.ofMillis(300), TOTAL);
        toClose.add(sender);

        WebhookSender.Outcome outcome = sender.send(request(url("https", receiver.getLocalPort(), "/hook")));

        // 203.0.113.7 (documentation only) does not answer: times out, unreachable or refused, depending on the network.
        assertThat(outcome.status()).isNull();
        assertThat(outcome.error()).isIn(WebhookSender.TIMEOUT, WebhookSender.CONNECTION_FAILED, WebhookSender.CONNECTION_REFUSED);
        assertNeverContacted(receiver);
        assertThat(resolved).containsExactly(RECEIVER);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "[::ffff:127.0.0.1]", "[::1]", "169.254.169.254"})
    void refusesALiteralRefusedAddressWithoutResolvingOrConnecting(String host) throws Exception {
        ServerSocket receiver = listener();

        WebhookSender.Outcome outcome = sender(false)
                .send(request(URI.create("https://" + host + ":" + receiver.getLocalPort() + "/hook")));

        assertThat(outcome).isEqualTo(new WebhookSender.Outcome(null, WebhookSender.REFUSED_ADDRESS, outcome.durationMillis(), null, null));
        assertNeverContacted(receiver);
        assertThat(resolved).isEmpty();
    }

    @Test
    void rejectsAPlainHttpUrlUnlessPrivateTargetsAreAllowed() throws Exception {
        ServerSocket receiver = listener();
        WebhookSender.Request plain = request(url("http", receiver.getLocalPort(), "/hook"));

        assertThatThrownBy(() -> sender(false).send(plain)).isInstanceOf(IllegalArgumentException.class);
        assertNeverContacted(receiver);
    }

    // --- helpers

    private WebhookSender sender(boolean allowPrivateTargets) {
        return sender(allowPrivateTargets, InetAddress.getLoopbackAddress());
    }

    private WebhookSender sender(boolean allowPrivateTargets, InetAddress... receiverAddresses) {
        WebhookSender sender = new WebhookSender(allowPrivateTargets, resolver(receiverAddresses), CONNECT, TOTAL);
        toClose.add(sender);
        return sender;
    }

    /** Resolves {@link #RECEIVER} only, and records every look-up. */
    private WebhookSender.Resolver resolver(InetAddress... receiverAddresses) {
        return host -> {
            resolved.add(host);
            if (host.equals(RECEIVER)) {
                return receiverAddresses.clone();
            }
            throw new UnknownHostException(host);
        };
    }

    private URI url(String scheme, String pathAndQuery) {
        return url(scheme, server.getAddress().getPort(), pathAndQuery);
    }

    private static URI url(String scheme, int port, String pathAndQuery) {
        return URI.create(scheme + "://" + RECEIVER + ":" + port + pathAndQuery);
    }

    private static WebhookSender.Request request(URI url) {
        return new WebhookSender.Request(url, Map.of("Content-Type", "application/json"),
                "{\"type\":\"upload.completed\"}".getBytes(StandardCharsets.UTF_8));
    }

    private ServerSocket listener() throws IOException {
        ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        toClose.add(socket);
        return socket;
    }

    private static void assertNeverContacted(ServerSocket receiver) throws IOException {
        receiver.setSoTimeout(200);
        assertThatThrownBy(receiver::accept).isInstanceOf(SocketTimeoutException.class);
    }

    private static void assertTimedOutAtTheDeadline(WebhookSender.Outcome outcome, long startNanos) {
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        assertThat(outcome.status()).isNull();
        assertThat(outcome.error()).isEqualTo(WebhookSender.TIMEOUT);
        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.durationMillis()).isBetween(TOTAL.toMillis(), TOTAL.toMillis() + 500);
        assertThat(took).isBetween(TOTAL, TOTAL.plusMillis(500));
    }

    /** Reads the request's head, sends {@code head} at once and then {@code slowly} one byte every 20 ms. */
    private static Void trickle(ServerSocket listener, String head, String slowly) throws IOException, InterruptedException {
        try (Socket socket = listener.accept()) {
            readRequestHead(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            for (byte b : slowly.getBytes(StandardCharsets.US_ASCII)) {
                out.write(b);
                out.flush();
                Thread.sleep(20);
            }
        } catch (IOException closedByTheSender) {
            // expected: the sender gave up
        }
        return null;
    }

    private static void readRequestHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("request ended early");
            }
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
        }
    }

    private static InetAddress address(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getRequestBody().readAllBytes();
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @SuppressWarnings("ArrayRecordComponent") // compared field by field
    private record Received(String method, String uri, Map<String, List<String>> headers, byte[] body) {
        static Received of(HttpExchange exchange) throws IOException {
            Map<String, List<String>> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
            return new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers,
                    exchange.getRequestBody().readAllBytes());
        }
    }
}
