package com.trueftp.functions.webhooks;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.trueftp.core.Config;
import com.trueftp.http.RequestPipeline;

/** The webhooks function: manage webhooks, ping them, rotate their secrets, read and redeliver their deliveries. */
public class WebhooksHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final RequestPipeline pipeline;

    /** Lambda's entry: wiring happens once, at cold start. */
    public WebhooksHandler() {
        this(DaggerWebhooksComponent.factory().create(Config.fromEnvironment()));
    }

    /** Tests wire the function against emulators through the same component. */
    WebhooksHandler(WebhooksComponent component) {
        WebhooksEndpoint endpoint = component.endpoint();
        this.pipeline = RequestPipeline.of(component.rateLimiter()).idempotent(component.idempotencyRecords())
                .on("GET /webhooks", endpoint::list)
                .on("POST /webhooks", endpoint::create)
                .on("GET /webhooks/{id}", endpoint::get)
                .on("PUT /webhooks/{id}", endpoint::update)
                .on("DELETE /webhooks/{id}", endpoint::delete)
                .on("POST /webhooks/{id}/ping", endpoint::ping)
                .on("POST /webhooks/{id}/rotate-secret", endpoint::rotateSecret)
                .on("GET /webhooks/{id}/deliveries", endpoint::deliveries)
                .on("POST /webhooks/{id}/deliveries/{delivery_id}/redeliver", endpoint::redeliver)
                .build();
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return pipeline.handle(event, context);
    }
}
