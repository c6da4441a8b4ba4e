package com.trueftp.webhooks;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.utils.DateUtils;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.io.Closer;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Makes one webhook delivery attempt: one POST to a customer's URL, never more.
 *
 * <p>The URL is the customer's, so two things are guarded against. DNS rebinding: the host name is resolved once, per
 * connection, by our {@link DnsResolver}, every address {@link TargetAddresses} refuses is dropped, and the socket
 * connects to one of the checked addresses (TLS still verifies the certificate for the host name and sends it as SNI).
 * Hanging receivers: besides the connect and read timeouts, a scheduled cancel closes the connection when the whole
 * attempt's deadline passes, so a receiver that never answers or trickles bytes cannot hold a thread; and at most
 * 64 KiB of an answer is read.
 *
 * <p>No redirects, cookies, auth caching, automatic retries or content decompression. Nothing is logged: bodies and
 * headers carry signatures.
 */
public final class WebhookSender implements AutoCloseable {
    /** One attempt's request: the URL, headers to send as given, and the raw body (application/json). */
    @SuppressWarnings("ArrayRecordComponent") // a request is sent, never compared
    public record Request(URI url, Map<String, String> headers, byte[] body) {
    }

    /**
     * @param status         the HTTP status answered, or null when there was none (also when the deadline passed while
     *                       the answer's body was still being read)
     * @param error          null for an HTTP answer of 1xx/2xx/4xx/5xx; otherwise one of the constants below (a 3xx
     *                       keeps its status and has error {@link #REDIRECT})
     * @param durationMillis from the start of the attempt to its end
     * @param responseBody   the first 4 KiB of the answer's body as UTF-8 text (malformed bytes replaced), or null if
     *                       no answer or empty
     * @param retryAfter     the answer's Retry-After (delta-seconds or HTTP date) as a Duration, null when absent or
     *                       unreadable
     */
    public record Outcome(Integer status, String error, long durationMillis, String responseBody, Duration retryAfter) {
        public boolean succeeded() {
            return status != null && status >= 200 && status <= 299;
        }
    }

    static final int MAX_CONNECTIONS = 1000;

    public static final String TIMEOUT = "timeout";
    public static final String CONNECTION_REFUSED = "connection refused";
    public static final String REFUSED_ADDRESS = "refused address";
    public static final String UNKNOWN_HOST = "unknown host";
    public static final String TLS_ERROR = "tls error";
    public static final String CONNECTION_FAILED = "connection failed";
    public static final String REDIRECT = "redirect not followed";

    /** Tests: their own resolver (host name -> addresses). */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private static final int MAX_READ = 64 * 1024;
    private static final int MAX_KEPT = 4 * 1024;

    private final boolean allowPrivateTargets;
    private final Resolver resolver;
    private final Duration totalTimeout;
    private final CloseableHttpClient client;
    private final ScheduledThreadPoolExecutor deadlines;

    /** @param allowPrivateTargets true only on the local runtime: any address and plain http allowed */
    public WebhookSender(boolean allowPrivateTargets) {
        this(allowPrivateTargets, InetAddress::getAllByName, Duration.ofSeconds(5), Duration.ofSeconds(15));
    }

    /** Tests: their own resolver (host name -> addresses) and timeouts. */
    WebhookSender(boolean allowPrivateTargets, Resolver resolver, Duration connectTimeout, Duration totalTimeout) {
        this.allowPrivateTargets = allowPrivateTargets;
        this.resolver = resolver;
        this.totalTimeout = totalTimeout;
        ConnectionConfig connection = ConnectionConfig.custom()
                .setConnectTimeout(Timeout.of(connectTimeout))
                .setSocketTimeout(Timeout.of(totalTimeout))
                .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                .build();
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new CheckingDnsResolver())
                        .setDefaultConnectionConfig(connection)
                        // No pool limit of its own: one instance sends at most a batch at once on Lambda (the
                        // local runtime: every instance's), and a wait for a pooled connection would let one
                        // hanging receiver's connections delay others on the same host.
                        .setMaxConnTotal(MAX_CONNECTIONS)
                        .setMaxConnPerRoute(MAX_CONNECTIONS)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(Timeout.of(totalTimeout))
                        .setResponseTimeout(Timeout.of(totalTimeout))
                        .setRedirectsEnabled(false)
                        .build())
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableAutomaticRetries()
                .disableContentCompression()
                .disableDefaultUserAgent()
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .build();
        this.deadlines = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "webhook-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        this.deadlines.setRemoveOnCancelPolicy(true);
    }

    /**
     * Makes the attempt. Network and HTTP problems end up in the outcome, never thrown.
     *
     * @throws IllegalArgumentException for a URL that is not https (or http, when private targets are allowed)
     */
    public Outcome send(Request request) {
        String scheme = request.url().getScheme();
        if (!"https".equalsIgnoreCase(scheme) && !(allowPrivateTargets && "http".equalsIgnoreCase(scheme))) {
            throw new IllegalArgumentException("Webhook URLs must be https, not " + scheme);
        }
        long start = System.nanoTime();
        HttpPost post = new HttpPost(request.url());
        request.headers().forEach(post::setHeader);
        post.setEntity(new ByteArrayEntity(request.body(), null)); // the caller's Content-Type header says what it is
        ScheduledFuture<?> deadline = deadlines.schedule(post::cancel, totalTimeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return exchange(post, start);
        } catch (IOException e) {
            long took = millisSince(start);
            return new Outcome(null, took >= totalTimeout.toMillis() ? TIMEOUT : errorOf(e), took, null, null);
        } finally {
            deadline.cancel(false);
        }
    }

    private Outcome exchange(HttpPost post, long start) throws IOException {
        ClassicHttpResponse response = client.executeOpen(null, post, null);
        boolean readToTheEnd = false;
        try {
            byte[] body = readAtMost(response.getEntity(), MAX_READ);
            readToTheEnd = body.length < MAX_READ;
            int status = response.getCode();
            String text = body.length == 0
                    ? null
                    : new String(body, 0, Math.min(body.length, MAX_KEPT), StandardCharsets.UTF_8);
            String error = status >= 300 && status <= 399 ? REDIRECT : null;
            return new Outcome(status, error, millisSince(start), text, retryAfter(response.getFirstHeader("Retry-After")));
        } finally {
            if (!readToTheEnd) {
                post.cancel(); // closes the connection: closing the response would read the rest of the body
            }
            Closer.closeQuietly(response);
        }
    }

    /** Not closed here: closing would read the rest of the body; at its end the connection goes back to the pool. */
    private static byte[] readAtMost(HttpEntity entity, int limit) throws IOException {
        return entity == null ? new byte[0] : entity.getContent().readNBytes(limit);
    }

    private static String errorOf(IOException e) {
        if (e instanceof RefusedAddressException) {
            return REFUSED_ADDRESS;
        } else if (e instanceof UnknownHostException) {
            return UNKNOWN_HOST;
        } else if (e instanceof ConnectException) {
            return CONNECTION_REFUSED;
        } else if (e instanceof InterruptedIOException) { // connect and read timeouts among them
            return TIMEOUT;
        } else if (e instanceof SSLException) {
            return TLS_ERROR;
        }
        return CONNECTION_FAILED;
    }

    /** Delta-seconds or an HTTP date (then the time from now until it, zero if past); null if neither. */
    static Duration retryAfter(Header header) {
        if (header == null || header.getValue() == null) {
            return null;
        }
        String value = header.getValue().trim();
        if (value.matches("[0-9]{1,18}")) {
            return Duration.ofSeconds(Long.parseLong(value));
        }
        Instant date = DateUtils.parseStandardDate(value);
        if (date == null) {
            return null;
        }
        Duration untilThen = Duration.between(Instant.now(), date);
        return untilThen.isNegative() ? Duration.ZERO : untilThen;
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    @Override
    public void close() {
        client.close(CloseMode.IMMEDIATE);
        deadlines.shutdownNow();
    }

    /** Every address a connection is made to comes from here, already checked. */
    private final class CheckingDnsResolver implements DnsResolver {
        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            InetAddress[] addresses = isAddressLiteral(host)
                    ? new InetAddress[] {InetAddress.getByName(host)} // parsed, not looked up
                    : resolver.resolve(host);
            if (allowPrivateTargets) {
                return addresses;
            }
            InetAddress[] allowed = Arrays.stream(addresses)
                    .filter(address -> !TargetAddresses.refused(address))
                    .toArray(InetAddress[]::new);
            if (allowed.length == 0) {
                throw new RefusedAddressException(host);
            }
            return allowed;
        }

        @Override
        public String resolveCanonicalHostname(String host) {
            return host; // only for Kerberos, which we never use
        }

        private static boolean isAddressLiteral(String host) {
            return host.indexOf(':') >= 0 || host.matches("[0-9.]+");
        }
    }

    /** Every address the host resolved to is one a webhook must not reach. */
    private static final class RefusedAddressException extends UnknownHostException {
        private static final long serialVersionUID = 1L;

        RefusedAddressException(String host) {
            super("Refused address for " + host);
        }
    }
}
