package com.trueftp.functions.openapi;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.trueftp.http.ApiResponse;
import com.trueftp.http.RequestPipeline;

import java.util.Map;

/**
 * The openapi function: GET /openapi.json, the API's OpenAPI document, to anyone without a token. It needs no
 * AWS client, so no Dagger component either: the document is read once, at cold start.
 */
public class OpenApiHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final RequestPipeline pipeline;

    /** Lambda's entry. */
    public OpenApiHandler() {
        this(OpenApiDocument.load());
    }

    OpenApiHandler(Map<String, Object> document) {
        this.pipeline = RequestPipeline.uncounted()
                .on("GET /openapi.json", request -> ApiResponse.ok(document))
                .build();
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return pipeline.handle(event, context);
    }
}
