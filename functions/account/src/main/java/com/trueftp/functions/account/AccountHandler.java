package com.trueftp.functions.account;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.trueftp.core.Config;
import com.trueftp.http.RequestPipeline;

/** The account function: GET /account. */
public class AccountHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final RequestPipeline pipeline;

    /** Lambda's entry: wiring happens once, at cold start. */
    public AccountHandler() {
        this(DaggerAccountComponent.factory().create(Config.fromEnvironment()));
    }

    /** Tests wire the function against emulators through the same component. */
    AccountHandler(AccountComponent component) {
        AccountEndpoint endpoint = component.endpoint();
        this.pipeline = RequestPipeline.of(component.rateLimiter())
                .on("GET /account", endpoint::get)
                .build();
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return pipeline.handle(event, context);
    }
}
