package com.trueftp.account;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.trueftp.config.Config;
import com.trueftp.http.LambdaFunction;
import com.trueftp.http.RequestPipeline;
import com.trueftp.ratelimit.RateLimiter;

/** The account function: GET /account. */
public class AccountHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final RequestPipeline pipeline;

    /** Lambda's entry: wiring happens once, at cold start. */
    public AccountHandler() {
        this(DaggerAccountComponent.factory().create(Config.fromEnvironment()));
    }

    AccountHandler(AccountComponent component) {
        this(component.endpoint(), component.rateLimiter());
    }

    public AccountHandler(AccountEndpoint endpoint, RateLimiter rateLimiter) {
        this.pipeline = RequestPipeline.of(LambdaFunction.ACCOUNT, rateLimiter)
                .on("GET /account", endpoint::get)
                .build();
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return pipeline.handle(event, context);
    }
}
