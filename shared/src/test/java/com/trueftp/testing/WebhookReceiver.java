package com.trueftp.testing;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A webhook receiver as a customer would run one: an HTTP server on 127.0.0.1 that records every request and
 * answers what the test tells it to (per path). It verifies signatures with code of its own and with the
 * official Standard Webhooks verifier, never with the project's signer.
 */
public final class WebhookReceiver implements AutoCloseable {
    /** One request as received: path, headers (names lower-cased), body bytes, and when it arrived. */
    @SuppressWarnings("ArrayRecordComponent") // read, never compared
    public record Received(String path, Map<String, List<String>> headers, byte[] body, long receivedAtMillis) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.get(0);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** True when {@code X-TrueFTP-Signature} holds a v1 that is HMAC-SHA256(secret string, "t." + body). */
        public boolean trueftpSignatureVerifies(String secret) {
            String header = header("X-TrueFTP-Signature");
            String t = null;
            List<String> v1 = new ArrayList<>();
            for (String part : header.split(",", -1)) {
                if (part.startsWith("t=")) {
                    t = part.substring(2);
                } else if (part.startsWith("v1=")) {
                    v1.add(part.substring(3));
                }
            }
            byte[] signed = concat((t + ".").getBytes(StandardCharsets.UTF_8), body);
            String expected = HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), signed));
            return t != null && v1.contains(expected);
        }

        /** The official Standard Webhooks verifier's judgement (signature and timestamp tolerance). */
        public boolean standardSignatureVerifies(String secret) {
            try {
                new Webhook(secret).verify(bodyText(), headers);
                return true;
            } catch (WebhookVerificationException e) {
                return false;
            }
        }
    }

    /** What the receiver answers: status, headers, body. */
    public record Answer(int status, Map<String, String> headers, String body) {
        public static Answer of(int status) {
            return new Answer(status, Map.of(), "");
        }
    }

    private final HttpServer server;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private volatile Function<String, Answer> answers = path -> new Answer(200, Map.of(), "ok");

    private WebhookReceiver(HttpServer server) {
        this.server = server;
    }

    public static WebhookReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
            WebhookReceiver receiver = new WebhookReceiver(server);
            server.createContext("/", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                Map<String, List<String>> headers = new TreeMap<>();
                exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
                String path = exchange.getRequestURI().getPath();
                receiver.received.add(new Received(path, headers, body, System.currentTimeMillis()));
                Answer answer = receiver.answers.apply(path);
                if (answer == null) {
                    return; // hang: never answer
                }
                answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
                byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
                if (out.length > 0) {
                    exchange.getResponseBody().write(out);
                }
                exchange.close();
            });
            server.setExecutor(Executors.newCachedThreadPool(r -> {
                Thread thread = new Thread(r, "webhook-receiver");
                thread.setDaemon(true);
                return thread;
            }));
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The URL of a path on this receiver. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Answers per path from now on; a null answer hangs the request (the receiver never answers). */
    public void answer(Function<String, Answer> answers) {
        this.answers = answers;
    }

    /** The next request received within the wait, or null. */
    public Received next(Duration wait) throws InterruptedException {
        return received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Every request received so far that was not taken with {@link #next}. */
    public List<Received> drain() {
        List<Received> all = new ArrayList<>();
        received.drainTo(all);
        return all;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
