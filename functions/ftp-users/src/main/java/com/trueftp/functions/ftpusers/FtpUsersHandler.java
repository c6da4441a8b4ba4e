package com.trueftp.functions.ftpusers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.trueftp.core.Config;
import com.trueftp.http.RequestPipeline;

/** The ftp-users function: create, list, get, update and delete FTP users. */
public class FtpUsersHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final RequestPipeline pipeline;

    /** Lambda's entry: wiring happens once, at cold start. */
    public FtpUsersHandler() {
        this(DaggerFtpUsersComponent.factory().create(Config.fromEnvironment()));
    }

    /** Tests wire the function against emulators through the same component. */
    FtpUsersHandler(FtpUsersComponent component) {
        FtpUsersEndpoint endpoint = component.endpoint();
        this.pipeline = RequestPipeline.of(component.rateLimiter()).idempotent(component.idempotencyRecords())
                .on("GET /ftp-users", endpoint::list)
                .on("POST /ftp-users", endpoint::create)
                .on("GET /ftp-users/{id}", endpoint::get)
                .on("PUT /ftp-users/{id}", endpoint::update)
                .on("DELETE /ftp-users/{id}", endpoint::delete)
                .build();
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return pipeline.handle(event, context);
    }
}
