package com.trueftp.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One simulated cold start of a function, run by {@link ColdStartBench} in a fresh JVM whose classpath is the
 * function's shaded lambda.jar plus this class only: builds the REST v1 proxy event of one GET, creates the
 * handler as Lambda does (public no-arg constructor, configuration from the environment), invokes it once
 * and prints one line {@code PROBE status=… init_us=… invoke_us=…}. Uses nothing outside lambda.jar.
 *
 * <p>Arguments: the handler class, the resource (path template), the path, then {@code name=value} pairs:
 * {@code param.NAME} path parameters, {@code query.NAME} query parameters, anything else the authorizer
 * context (what the authorizer passes on).
 */
public final class ColdStartProbe {
    static final String RESULT_PREFIX = "PROBE ";

    private ColdStartProbe() {
    }

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        String handlerClass = args[0];
        String resource = args[1];
        String path = args[2];
        Map<String, Object> authorizer = new LinkedHashMap<>();
        Map<String, String> pathParameters = new LinkedHashMap<>();
        Map<String, String> query = new LinkedHashMap<>();
        for (int i = 3; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            String name = args[i].substring(0, eq);
            String value = args[i].substring(eq + 1);
            if (name.startsWith("param.")) {
                pathParameters.put(name.substring("param.".length()), value);
            } else if (name.startsWith("query.")) {
                query.put(name.substring("query.".length()), value);
            } else {
                authorizer.put(name, value);
            }
        }
        APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext()
                .withRequestId(UUID.randomUUID().toString())
                .withResourcePath(resource)
                .withHttpMethod("GET")
                .withStage("local");
        context.setAuthorizer(authorizer);
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent()
                .withResource(resource)
                .withPath(path)
                .withHttpMethod("GET")
                .withPathParameters(pathParameters.isEmpty() ? null : pathParameters)
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withRequestContext(context);

        @SuppressWarnings("unchecked")
        RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handler =
                Class.forName(handlerClass).asSubclass(RequestHandler.class).getDeclaredConstructor().newInstance();
        long created = System.nanoTime();
        APIGatewayProxyResponseEvent response = handler.handleRequest(event, null);
        long answered = System.nanoTime();

        int status = response.getStatusCode() == null ? 0 : response.getStatusCode();
        System.out.println(RESULT_PREFIX + "status=" + status + " init_us=" + (created - started) / 1000
                + " invoke_us=" + (answered - created) / 1000);
        System.out.flush();
        System.exit(status == 200 ? 0 : 1);
    }
}
