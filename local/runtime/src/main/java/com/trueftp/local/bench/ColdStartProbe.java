package com.trueftp.local.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.trueftp.account.AccountHandler;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One simulated cold start of the account function, run by {@link Bench} in a fresh JVM whose classpath
 * is the shaded lambda.jar plus this class only: builds the REST v1 proxy event of GET /account, creates
 * the handler as Lambda does (public no-arg constructor, configuration from the environment), invokes it
 * once and prints one line {@code PROBE status=… init_us=… invoke_us=…}. Uses nothing outside lambda.jar.
 *
 * <p>Arguments: the authorizer context as {@code name=value} pairs (what the authorizer passes on).
 */
public final class ColdStartProbe {
    static final String RESULT_PREFIX = "PROBE ";
    static final String PATH = "/api/ext/v1/account";

    private ColdStartProbe() {
    }

    public static void main(String[] args) {
        long started = System.nanoTime();
        Map<String, Object> authorizer = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            authorizer.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext()
                .withRequestId(UUID.randomUUID().toString())
                .withResourcePath(PATH)
                .withHttpMethod("GET")
                .withStage("local");
        context.setAuthorizer(authorizer);
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent()
                .withResource(PATH)
                .withPath(PATH)
                .withHttpMethod("GET")
                .withRequestContext(context);

        AccountHandler handler = new AccountHandler();
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
