package com.trueftp.eventsapi;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.trueftp.config.Config;
import com.trueftp.http.LambdaFunction;
import com.trueftp.http.RequestPipeline;
import com.trueftp.ratelimit.RateLimiter;

/** The events function: GET /events, the account's audit stream. */
public class EventsHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final RequestPipeline pipeline;

    /** Lambda's entry: wiring happens once, at cold start. */
    public EventsHandler() {
        this(DaggerEventsComponent.factory().create(Config.fromEnvironment()));
    }

    EventsHandler(EventsComponent component) {
        this(component.endpoint(), component.rateLimiter());
    }

    public EventsHandler(EventsEndpoint endpoint, RateLimiter rateLimiter) {
        this.pipeline = RequestPipeline.of(LambdaFunction.EVENTS, rateLimiter)
                .on("GET /events", endpoint::list)
                .build();
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return pipeline.handle(event, context);
    }
}
