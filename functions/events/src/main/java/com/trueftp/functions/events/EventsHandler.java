package com.trueftp.functions.events;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.trueftp.core.Config;
import com.trueftp.http.RequestPipeline;

/** The events function: GET /events, the account's audit stream. */
public class EventsHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final RequestPipeline pipeline;

    /** Lambda's entry: wiring happens once, at cold start. */
    public EventsHandler() {
        this(DaggerEventsComponent.factory().create(Config.fromEnvironment()));
    }

    /** Tests wire the function against emulators through the same component. */
    EventsHandler(EventsComponent component) {
        EventsEndpoint endpoint = component.endpoint();
        this.pipeline = RequestPipeline.of(component.rateLimiter())
                .on("GET /events", endpoint::list)
                .build();
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return pipeline.handle(event, context);
    }
}
