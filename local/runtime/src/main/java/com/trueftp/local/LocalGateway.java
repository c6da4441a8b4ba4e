package com.trueftp.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.trueftp.account.Plan;
import com.trueftp.auth.Caller;
import com.trueftp.core.Json;
import com.trueftp.functions.authorizer.AuthorizerHandler;
import com.trueftp.http.Route;
import com.trueftp.http.Routes;
import com.trueftp.stack.GatewayResponse;
import com.trueftp.stack.LambdaFunction;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A local stand-in for API Gateway: for each HTTP request it does what the deployed REST API does —
 * route by the route table, run the REQUEST authorizer (results cached per token for the configured
 * TTL), build the same REST v1 proxy event, invoke the route's handler and write its response.
 * Handlers are created through their public no-arg constructors on first use, as Lambda does.
 * The gateway's own answers use the JSON bodies that the stack's gateway responses define.
 */
public final class LocalGateway implements AutoCloseable {
    static final String STAGE = "local";
    static final String API_ID = "local";
    static final String AWS_ACCOUNT = "000000000000";
    /** API Gateway's REST payload limit. */
    static final int MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
    /** Lambda's limit for a synchronous request: the whole proxy event, body base64-encoded if binary. */
    static final int MAX_LAMBDA_REQUEST_BYTES = 6 * 1024 * 1024;

    private final HttpServer server;
    private final ExecutorService executor;
    private final Duration authCacheTtl;
    private final LogLevel logLevel;
    private final EdgeThrottle edgeThrottle;
    private final Map<LambdaFunction, Object> handlers = new ConcurrentHashMap<>();
    private final Map<String, CachedPolicy> authCache = new ConcurrentHashMap<>();

    private record CachedPolicy(IamPolicyResponseV1 policy, Instant expires) {
    }

    private LocalGateway(HttpServer server, ExecutorService executor, Duration authCacheTtl, LogLevel logLevel,
                         EdgeThrottle edgeThrottle) {
        this.server = server;
        this.executor = executor;
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
        // Without TCP_NODELAY the JDK server sends headers and body as two segments and the body waits for
        // the client's delayed ACK: about 40 ms on every response. Read once, when the first server starts.
        System.getProperties().putIfAbsent("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        ExecutorService executor = Executors.newFixedThreadPool(32);
        LocalGateway gateway = new LocalGateway(server, executor, authCacheTtl, logLevel,
                edgeThrottle ? new EdgeThrottle() : null);
        server.createContext("/", gateway::serve);
        server.setExecutor(executor);
        server.start();
        return gateway;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port() + Routes.BASE_PATH;
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            Answer answer;
            try {
                answer = dispatch(exchange);
            } catch (RuntimeException e) {
                e.printStackTrace(); // a handler that throws is a bug: API Gateway answers 502 then
                answer = Answer.error(502, "internal server error");
            }
            write(exchange, answer);
        }
    }

    private Answer dispatch(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        // Matched segment by segment on the raw path, so an encoded slash stays inside its segment.
        String rawPath = exchange.getRequestURI().getRawPath();
        String path = exchange.getRequestURI().getPath();
        Optional<Routes.Match> match = Routes.match(rawPath);
        if (match.isEmpty()) {
            return Answer.of(GatewayResponse.MISSING_AUTHENTICATION_TOKEN);
        }
        byte[] body = readBody(exchange.getRequestBody());
        if (body == null) {
            return Answer.of(GatewayResponse.REQUEST_TOO_LARGE);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
        Map<String, List<String>> query = parseQuery(exchange.getRequestURI().getRawQuery());

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

    private Object handler(LambdaFunction function) {
        return handlers.computeIfAbsent(function, f -> {
            try {
                return Class.forName(f.handler()).getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot create handler " + f.handler(), e);
            }
        });
    }

    /** The usage plan is the one of the account's plan, which the authorizer passes in its context. */
    private static Plan planOf(IamPolicyResponseV1 policy) {
        return Caller.fromAuthorizerContext(policy.getContext()).plan();
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_PAYLOAD_BYTES + 1);
        return body.length > MAX_PAYLOAD_BYTES ? null : body;
    }

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
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return query;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return s; // API Gateway passes undecodable escapes through as they are
        }
    }

    private static String last(Map<String, List<String>> headers, String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(e -> e.getValue().isEmpty() ? null : e.getValue().get(e.getValue().size() - 1))
                .findFirst().orElse(null);
    }

    private static void write(HttpExchange exchange, Answer answer) throws IOException {
        answer.headers().forEach((name, values) -> exchange.getResponseHeaders().put(name, values));
        byte[] body = answer.body();
        boolean empty = body.length == 0;
        exchange.sendResponseHeaders(answer.status(), empty ? -1 : body.length);
        if (!empty) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
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
        server.stop(0);
        executor.shutdownNow();
    }
}
