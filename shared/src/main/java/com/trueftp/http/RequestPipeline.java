package com.trueftp.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.trueftp.auth.Caller;
import com.trueftp.aws.Outages;
import com.trueftp.aws.Refusals;
import com.trueftp.core.Json;
import com.trueftp.idempotency.IdempotencyRecords;
import com.trueftp.ratelimit.RateLimit;
import com.trueftp.ratelimit.RateLimiter;
import com.trueftp.stack.LambdaFunction;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * The one request path of every API function: caller, hourly rate limit (counted beside the rest), route,
 * account access, scope, body size, then the endpoint; a public route skips caller and count. Every failure
 * becomes {@code {"error": ...}} with its status ({@link ErrorAnswers}). Unexpected exceptions are logged with
 * the request id and answered 500 without details; dependency outages answer 503.
 */
public final class RequestPipeline {
    /** Threads for the rate-limit counter's write, which runs beside the request's own work. */
    private static final ExecutorService COUNTER_THREADS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "rate-limit-counter");
        thread.setDaemon(true);
        return thread;
    });

    private final Map<Route, Endpoint> endpoints;
    private final RateLimiter rateLimiter;
    private final IdempotentPosts idempotentPosts;

    /** Prefer {@link #of}, which checks the endpoints against the route table. */
    RequestPipeline(Map<Route, Endpoint> endpoints, RateLimiter rateLimiter, IdempotentPosts idempotentPosts) {
        this.endpoints = Map.copyOf(endpoints);
        this.rateLimiter = rateLimiter;
        this.idempotentPosts = idempotentPosts;
    }

    /** Binds each route of one function to its endpoint ({@link Builder#on}), then checks that none is left out. */
    public static Builder of(RateLimiter rateLimiter) {
        return new Builder(rateLimiter);
    }

    /** For a function whose routes are all public: nothing is counted. */
    public static Builder uncounted() {
        return new Builder(caller -> {
            throw new IllegalStateException("a public route counts no caller");
        });
    }

    public APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent event, Context context) {
        long started = System.nanoTime();
        String requestId = requestId(event, context);
        APIGatewayProxyResponseEvent response;
        String who = "-";
        Map<String, String> rateLimitHeaders = Map.of();
        try {
            if (isPublic(event.getResource())) {
                Route route = resolve(event);
                response = toEvent(endpoints.get(route).handle(request(event, route, null, requestId)), requestId);
            } else {
                Caller caller = Caller.fromAuthorizerContext(
                        event.getRequestContext() == null ? null : event.getRequestContext().getAuthorizer());
                who = caller.accountId() + " " + caller.keyId();
                // The count starts at once and runs while the request is checked and, for reads, answered:
                // its write overlaps the request's own I/O. Nothing with a side effect runs before it admits.
                CompletableFuture<RateLimit> admission =
                        CompletableFuture.supplyAsync(() -> rateLimiter.acquire(caller), COUNTER_THREADS);
                ApiResponse result = null;
                RuntimeException failure = null;
                try {
                    result = checkAndHandle(event, caller, requestId, admission);
                } catch (RuntimeException e) {
                    failure = e;
                }
                // Every authenticated answer, error or not, tells the client where it stands; over the limit, 429 wins.
                rateLimitHeaders = RateLimitHeaders.of(await(admission));
                if (failure != null) {
                    throw failure;
                }
                response = toEvent(result, requestId);
            }
        } catch (RuntimeException e) {
            ApiException answer = ErrorAnswers.of(e);
            if (answer == null) {
                // The exception (never the request) goes to the log; the client gets only the id to quote.
                log(context, LogLevel.ERROR, "unexpected error, request " + requestId + ": " + stackTrace(e));
                answer = new ApiException(500, "internal error (request id " + requestId + ")");
            } else if (Outages.isOutage(e)) {
                log(context, LogLevel.WARN, "dependency unavailable, request " + requestId + ": " + e);
            } else if (Refusals.of(e).isPresent()) { // a refusal no check foresaw: a gap to close
                log(context, LogLevel.WARN, "refused by a dependency, request " + requestId + ": " + stackTrace(e));
            }
            response = error(answer, requestId);
        }
        rateLimitHeaders.forEach(response.getHeaders()::putIfAbsent);
        log(context, LogLevel.INFO, String.format("%s %s %d %dms %s", event.getHttpMethod(), event.getResource(),
                response.getStatusCode(), (System.nanoTime() - started) / 1_000_000, who));
        return response;
    }

    private ApiResponse checkAndHandle(APIGatewayProxyRequestEvent event, Caller caller, String requestId,
                                       CompletableFuture<RateLimit> admission) {
        Route route = resolve(event);
        caller.requireApiAccess();
        caller.requireScope(route.scope());
        ApiRequest request = request(event, route, caller, requestId);
        if (!route.isRead()) {
            await(admission); // a refused write must change nothing
        }
        Endpoint endpoint = endpoints.get(route);
        boolean idempotent = idempotentPosts != null && route.method().equals("POST");
        return idempotent ? idempotentPosts.handle(request, endpoint) : endpoint.handle(request);
    }

    private static ApiRequest request(APIGatewayProxyRequestEvent event, Route route, Caller caller, String requestId) {
        return new ApiRequest(route, caller, orEmpty(event.getPathParameters()), orEmpty(event.getQueryStringParameters()),
                caseInsensitive(event.getHeaders()), body(event, route), requestId);
    }

    /** A resource served without a token: every method on it is answered without a caller or a count. */
    private boolean isPublic(String resource) {
        return endpoints.keySet().stream().anyMatch(r -> r.isPublic() && r.resource().equals(resource));
    }

    /** The limiter's answer, with its own exception (429, or an outage) rethrown as it was. */
    private static RateLimit await(CompletableFuture<RateLimit> admission) {
        try {
            return admission.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private Route resolve(APIGatewayProxyRequestEvent event) {
        List<Route> sameResource = endpoints.keySet().stream()
                .filter(r -> r.resource().equals(event.getResource())).toList();
        if (sameResource.isEmpty()) {
            throw new ApiException(404, "no such endpoint: " + event.getPath());
        }
        return sameResource.stream().filter(r -> r.method().equals(event.getHttpMethod())).findFirst()
                .orElseThrow(() -> new ApiException(405, "method " + event.getHttpMethod() + " not allowed on "
                        + event.getPath(), Map.of("Allow", String.join(", ",
                        sameResource.stream().map(Route::method).sorted().toList()))));
    }

    private static byte[] body(APIGatewayProxyRequestEvent event, Route route) {
        String body = event.getBody();
        if (body == null) {
            return new byte[0];
        }
        byte[] bytes;
        if (Boolean.TRUE.equals(event.getIsBase64Encoded())) {
            try {
                bytes = Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("request body is not valid base64");
            }
        } else {
            bytes = body.getBytes(StandardCharsets.UTF_8);
        }
        if (bytes.length > route.maxBodyBytes()) {
            throw ApiException.payloadTooLarge(route.tooLarge());
        }
        return bytes;
    }

    private static APIGatewayProxyResponseEvent toEvent(ApiResponse response, String requestId) {
        Map<String, String> headers = baseHeaders(requestId);
        headers.putAll(response.headers());
        APIGatewayProxyResponseEvent event = new APIGatewayProxyResponseEvent()
                .withStatusCode(response.status())
                .withHeaders(headers);
        if (response.body() != null) {
            event.setBody(Json.write(response.body()));
        } else {
            headers.remove("Content-Type");
        }
        return event;
    }

    private static APIGatewayProxyResponseEvent error(ApiException e, String requestId) {
        Map<String, String> headers = baseHeaders(requestId);
        headers.putAll(e.headers());
        return new APIGatewayProxyResponseEvent()
                .withStatusCode(e.status())
                .withHeaders(headers)
                .withBody(Json.write(Map.of("error", e.getMessage())));
    }

    private static Map<String, String> baseHeaders(String requestId) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", "application/json; charset=utf-8");
        headers.put("Cache-Control", "no-store");
        headers.put("X-Request-Id", requestId);
        return headers;
    }

    private static String requestId(APIGatewayProxyRequestEvent event, Context context) {
        if (event.getRequestContext() != null && event.getRequestContext().getRequestId() != null) {
            return event.getRequestContext().getRequestId();
        }
        return context != null ? context.getAwsRequestId() : UUID.randomUUID().toString();
    }

    private static Map<String, String> caseInsensitive(Map<String, String> headers) {
        Map<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            map.putAll(headers);
        }
        return map;
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }

    private static void log(Context context, LogLevel level, String message) {
        if (context != null) {
            context.getLogger().log(message, level);
        } else {
            System.err.println(level + " " + message);
        }
    }

    private static String stackTrace(Throwable e) {
        var out = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }

    /** Binds each route of one function to its endpoint; refuses to build with a route left out. */
    public static final class Builder {
        private final RateLimiter rateLimiter;
        private final Map<Route, Endpoint> endpoints = new HashMap<>();
        private IdempotencyRecords idempotencyRecords;

        private Builder(RateLimiter rateLimiter) {
            this.rateLimiter = rateLimiter;
        }

        /** @param route "METHOD /path" exactly as in {@link Routes#ALL} */
        public Builder on(String route, Endpoint endpoint) {
            Route found = Routes.ALL.stream().filter(r -> r.toString().equals(route)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no route " + route + " in the route table"));
            endpoints.put(found, endpoint);
            return this;
        }

        /** Where POSTs sent with an {@code Idempotency-Key} keep their answers: every function with a POST needs it. */
        public Builder idempotent(IdempotencyRecords records) {
            this.idempotencyRecords = records;
            return this;
        }

        /**
         * @throws IllegalStateException unless the routes bound are all of one function's routes, and a function
         *                               with a POST route keeps idempotency keys
         */
        public RequestPipeline build() {
            Set<LambdaFunction> functions = endpoints.keySet().stream().map(Route::function).collect(Collectors.toSet());
            if (functions.size() != 1) {
                throw new IllegalStateException("a pipeline serves the routes of one function, not " + functions);
            }
            List<Route> missing = Routes.of(functions.iterator().next()).stream()
                    .filter(r -> !endpoints.containsKey(r)).toList();
            if (!missing.isEmpty()) {
                throw new IllegalStateException(functions + " has no endpoint for " + missing);
            }
            boolean posts = endpoints.keySet().stream().anyMatch(r -> r.method().equals("POST"));
            if (posts && idempotencyRecords == null) {
                throw new IllegalStateException(functions + " has POST routes: bind idempotent(records)");
            }
            return new RequestPipeline(endpoints, rateLimiter,
                    idempotencyRecords == null ? null : new IdempotentPosts(idempotencyRecords));
        }
    }
}
