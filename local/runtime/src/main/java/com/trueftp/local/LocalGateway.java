package com.trueftp.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.trueftp.account.Plan;
import com.trueftp.auth.Caller;
import com.trueftp.core.Json;
import com.trueftp.core.Text;
import com.trueftp.functions.authorizer.AuthorizerHandler;
import com.trueftp.http.Route;
import com.trueftp.http.Routes;
import com.trueftp.stack.GatewayResponse;
import com.trueftp.stack.LambdaFunction;

import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A local stand-in for API Gateway: for each HTTP request it does what the deployed REST API does —
 * route by the route table, run the REQUEST authorizer (results cached per token for the configured
 * TTL), build the same REST v1 proxy event, invoke the route's handler and write its response.
 * Handlers are created through their public no-arg constructors on first use, as Lambda does.
 * The gateway's own answers use the JSON bodies that the stack's gateway responses define, and every other
 * answer is JSON too: a request the HTTP server cannot parse (a bad request line, a malformed escape, a folded
 * header, a control character) gets {@code {"error": ...}}, with header names written as the handlers set them.
 */
public final class LocalGateway implements AutoCloseable {
    static final String STAGE = "local";
    static final String API_ID = "local";
    static final String AWS_ACCOUNT = "000000000000";
    /** API Gateway's REST payload limit. */
    static final int MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
    /** Lambda's limit for a synchronous request: the whole proxy event, body base64-encoded if binary. */
    static final int MAX_LAMBDA_REQUEST_BYTES = 6 * 1024 * 1024;

    private final Server server;
    private final ServerConnector connector;
    private final Duration authCacheTtl;
    private final LogLevel logLevel;
    private final EdgeThrottle edgeThrottle;
    private final Map<LambdaFunction, Object> handlers = new ConcurrentHashMap<>();
    private final Map<String, CachedPolicy> authCache = new ConcurrentHashMap<>();

    private record CachedPolicy(IamPolicyResponseV1 policy, Instant expires) {
    }

    private LocalGateway(Server server, ServerConnector connector, Duration authCacheTtl, LogLevel logLevel,
                         EdgeThrottle edgeThrottle) {
        this.server = server;
        this.connector = connector;
        this.authCacheTtl = authCacheTtl;
        this.logLevel = logLevel;
        this.edgeThrottle = edgeThrottle;
    }

    /**
     * Starts on 127.0.0.1; port 0 picks a free one.
     *
     * @param edgeThrottle apply the usage plans' per-key throttle, as the deployed API does (benchmarks
     *                     that measure the handlers turn it off)
     */
    public static LocalGateway start(int port, Duration authCacheTtl, LogLevel logLevel, boolean edgeThrottle)
            throws IOException {
        Server server = new Server(new QueuedThreadPool(32, 4));
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setHttpCompliance(HttpCompliance.RFC9110); // obsolete line folding is refused, not unfolded
        http.setUriCompliance(UriCompliance.UNSAFE); // routes match the raw path: an escaped slash stays in its segment
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        LocalGateway gateway = new LocalGateway(server, connector, authCacheTtl, logLevel,
                edgeThrottle ? new EdgeThrottle() : null);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                write(response, gateway.serve(request), callback);
                return true;
            }
        });
        server.setErrorHandler(new MalformedRequests());
        try {
            server.start();
        } catch (Exception e) {
            gateway.close();
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof BindException inUse) {
                    throw inUse; // the caller names the port
                }
            }
            throw new IOException("the local gateway did not start on port " + port + ": " + e.getMessage(), e);
        }
        return gateway;
    }

    public int port() {
        return connector.getLocalPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port() + Routes.BASE_PATH;
    }

    private Answer serve(Request request) {
        try {
            return dispatch(request);
        } catch (RuntimeException e) {
            e.printStackTrace(); // a handler that throws is a bug: API Gateway answers 502 then
            return Answer.error(502, "internal server error");
        }
    }

    /** What the HTTP server refuses before a request reaches the gateway, answered in the API's JSON. */
    private static final class MalformedRequests extends ErrorHandler {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            Object reason = request.getAttribute(ERROR_MESSAGE);
            int status = response.getStatus() >= 400 && response.getStatus() < 500 ? response.getStatus() : 400;
            response.getHeaders().clear();
            LocalGateway.write(response, Answer.error(status, "malformed HTTP request" + (reason == null ? "" : ": " + reason)),
                    callback);
            return true;
        }
    }

    private Answer dispatch(Request request) {
        String method = request.getMethod();
        // Matched segment by segment on the raw path, so an encoded slash stays inside its segment.
        String rawPath = request.getHttpURI().getPath();
        Optional<Routes.Match> match = Routes.match(rawPath);
        if (match.isEmpty()) {
            return Answer.of(GatewayResponse.MISSING_AUTHENTICATION_TOKEN);
        }
        String path = request.getHttpURI().getDecodedPath();
        byte[] body;
        try {
            body = readBody(Content.Source.asInputStream(request));
        } catch (IOException | RuntimeException e) { // the client stopped sending before its Content-Length
            return Answer.error(400, "request body ended before its Content-Length");
        }
        if (body == null) {
            return Answer.of(GatewayResponse.REQUEST_TOO_LARGE);
        }
        // One entry per header name whatever its case, as API Gateway merges them.
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (HttpField field : request.getHeaders()) {
            headers.computeIfAbsent(field.getName(), k -> new ArrayList<>()).add(field.getValue());
        }
        Map<String, List<String>> query = parseQuery(request.getHttpURI().getQuery());
        if (query == null) {
            return Answer.error(400, "the query string is not valid UTF-8 once its %-escapes are decoded");
        }

        // Every method of a known resource reaches its function (ANY in the stack), which answers 405 itself.
        Route route = match.get().route(method).orElse(match.get().routes().get(0));
        IamPolicyResponseV1 policy = null; // a public route has no authorizer
        if (!route.isPublic()) {
            Admission admission = admit(method, path, match.get(), headers, query);
            if (admission.refusal() != null) {
                return admission.refusal();
            }
            policy = admission.policy();
        }
        APIGatewayProxyRequestEvent event = ProxyEvents.request(method, path, match.get(), headers, query, body,
                policy, STAGE, API_ID, AWS_ACCOUNT);
        if (ProxyEvents.approximateSize(event) > MAX_LAMBDA_REQUEST_BYTES) {
            return Answer.of(GatewayResponse.REQUEST_TOO_LARGE); // Lambda refuses the invocation
        }
        APIGatewayProxyResponseEvent response = invoke(route.function(), event);
        return Answer.of(response);
    }

    /** What API Gateway decides before a function runs: the authorizer's policy, or its own refusal. */
    private record Admission(IamPolicyResponseV1 policy, Answer refusal) {
        static Admission refused(GatewayResponse response) {
            return new Admission(null, Answer.of(response));
        }
    }

    /** The authorizer (cached per token), its policy and the usage plan's throttle, as API Gateway applies them. */
    private Admission admit(String method, String path, Routes.Match match, Map<String, List<String>> headers,
                            Map<String, List<String>> query) {
        // The value the authorizer sees (API Gateway's single-value headers keep the last one): the cache
        // key must be the same, or a second header could ride on a cached answer for the first.
        String authorization = last(headers, "Authorization");
        if (authorization == null || authorization.isBlank()) {
            return Admission.refused(GatewayResponse.UNAUTHORIZED); // identity source absent: no authorizer call
        }
        String methodArn = "arn:aws:execute-api:us-east-1:" + AWS_ACCOUNT + ":" + API_ID + "/" + STAGE + "/"
                + method + path;
        IamPolicyResponseV1 policy;
        try {
            policy = authorize(authorization, methodArn, method, path, match, headers, query);
        } catch (RuntimeException e) {
            if (AuthorizerHandler.UNAUTHORIZED.equals(e.getMessage())) { // as API Gateway reads it
                return Admission.refused(GatewayResponse.UNAUTHORIZED);
            }
            return Admission.refused(GatewayResponse.AUTHORIZER_FAILURE);
        }
        if (!PolicyCheck.allows(policy, methodArn)) {
            return Admission.refused(GatewayResponse.ACCESS_DENIED);
        }
        if (edgeThrottle != null && !edgeThrottle.tryAcquire(policy.getUsageIdentifierKey(), planOf(policy))) {
            return Admission.refused(GatewayResponse.THROTTLED);
        }
        return new Admission(policy, null);
    }

    private IamPolicyResponseV1 authorize(String authorization, String methodArn, String method, String path,
                                          Routes.Match match, Map<String, List<String>> headers,
                                          Map<String, List<String>> query) {
        CachedPolicy cached = authCache.get(authorization);
        if (cached != null && Instant.now().isBefore(cached.expires())) {
            return cached.policy();
        }
        APIGatewayCustomAuthorizerEvent event = ProxyEvents.authorizerRequest(methodArn, method, path, match,
                headers, query, STAGE, API_ID, AWS_ACCOUNT);
        @SuppressWarnings("unchecked")
        RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1> authorizer =
                (RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1>) handler(LambdaFunction.AUTHORIZER);
        IamPolicyResponseV1 policy = authorizer.handleRequest(event, new LocalContext("authorizer", logLevel));
        if (!authCacheTtl.isZero()) {
            authCache.put(authorization, new CachedPolicy(policy, Instant.now().plus(authCacheTtl)));
        }
        return policy;
    }

    private APIGatewayProxyResponseEvent invoke(LambdaFunction function, APIGatewayProxyRequestEvent event) {
        @SuppressWarnings("unchecked")
        RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handler =
                (RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>) handler(function);
        return handler.handleRequest(event, new LocalContext(function.id(), logLevel));
    }

    /**
     * Creates every function's handler now, with the configuration in force now, rather than on its first
     * request (a test binds the handlers to endpoints of its own).
     */
    void loadHandlers() {
        for (LambdaFunction function : LambdaFunction.values()) {
            handler(function);
        }
    }

    private Object handler(LambdaFunction function) {
        return handlers.computeIfAbsent(function, LambdaHandlers::create);
    }

    /** The usage plan is the one of the account's plan, which the authorizer passes in its context. */
    private static Plan planOf(IamPolicyResponseV1 policy) {
        return Caller.fromAuthorizerContext(policy.getContext()).plan();
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_PAYLOAD_BYTES + 1);
        return body.length > MAX_PAYLOAD_BYTES ? null : body;
    }

    /** The query's parameters, or null when one of them is not UTF-8 once decoded. */
    static Map<String, List<String>> parseQuery(String rawQuery) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            Optional<String> name = decode(eq < 0 ? pair : pair.substring(0, eq));
            Optional<String> value = eq < 0 ? Optional.of("") : decode(pair.substring(eq + 1));
            if (name.isEmpty() || value.isEmpty()) {
                return null;
            }
            query.computeIfAbsent(name.get(), k -> new ArrayList<>()).add(value.get());
        }
        return query;
    }

    /**
     * A query part with its %-escapes and {@code +} decoded, empty when the bytes are not UTF-8 (never replaced
     * by U+FFFD). An escape that is not one (such as {@code %zz}) stays as it is, as API Gateway passes it.
     */
    private static Optional<String> decode(String part) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] raw = part.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            int high = i + 2 < raw.length && raw[i] == '%' ? Character.digit(raw[i + 1], 16) : -1;
            int low = high < 0 ? -1 : Character.digit(raw[i + 2], 16);
            if (low >= 0) {
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                bytes.write(raw[i] == '+' ? ' ' : raw[i]);
            }
        }
        return Text.utf8(bytes.toByteArray());
    }

    private static String last(Map<String, List<String>> headers, String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(e -> e.getValue().isEmpty() ? null : e.getValue().get(e.getValue().size() - 1))
                .findFirst().orElse(null);
    }

    /** Header names go out exactly as the handler set them ({@code X-RateLimit-Limit}). */
    private static void write(Response response, Answer answer, Callback callback) {
        response.setStatus(answer.status());
        answer.headers().forEach((name, values) -> values.forEach(value -> response.getHeaders().add(name, value)));
        response.write(true, ByteBuffer.wrap(answer.body()), callback);
    }

    /** An HTTP answer, from a handler's response event or from the gateway itself. */
    @SuppressWarnings("ArrayRecordComponent") // written out once, never compared
    record Answer(int status, Map<String, List<String>> headers, byte[] body) {
        static Answer error(int status, String message) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            headers.put("Content-Type", List.of("application/json; charset=utf-8"));
            headers.put("Cache-Control", List.of("no-store"));
            headers.put("X-Request-Id", List.of(UUID.randomUUID().toString()));
            return new Answer(status, headers, Json.write(Map.of("error", message)).getBytes(StandardCharsets.UTF_8));
        }

        static Answer of(GatewayResponse response) {
            Answer answer = error(response.status(), response.message());
            if (response.retryAfterSeconds() != null) {
                answer.headers().put("Retry-After", List.of(response.retryAfterSeconds().toString()));
            }
            return answer;
        }

        static Answer of(APIGatewayProxyResponseEvent response) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            if (response.getHeaders() != null) {
                response.getHeaders().forEach((k, v) -> headers.put(k, List.of(v)));
            }
            if (response.getMultiValueHeaders() != null) {
                response.getMultiValueHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
            }
            String body = response.getBody();
            byte[] bytes = body == null ? new byte[0]
                    : Boolean.TRUE.equals(response.getIsBase64Encoded()) ? Base64.getDecoder().decode(body)
                    : body.getBytes(StandardCharsets.UTF_8);
            return new Answer(response.getStatusCode() == null ? 502 : response.getStatusCode(), headers, bytes);
        }
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the local gateway did not stop", e);
        }
    }
}
