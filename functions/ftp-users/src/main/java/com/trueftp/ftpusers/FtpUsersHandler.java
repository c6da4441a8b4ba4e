package com.trueftp.ftpusers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.trueftp.config.Config;
import com.trueftp.http.LambdaFunction;
import com.trueftp.http.RequestPipeline;
import com.trueftp.ratelimit.RateLimiter;

/** The ftp-users function: create, list, get, update and delete FTP users. */
public class FtpUsersHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final RequestPipeline pipeline;

    /** Lambda's entry: wiring happens once, at cold start. */
    public FtpUsersHandler() {
        this(DaggerFtpUsersComponent.factory().create(Config.fromEnvironment()));
    }

    FtpUsersHandler(FtpUsersComponent component) {
        this(component.endpoint(), component.rateLimiter());
    }

    public FtpUsersHandler(FtpUsersEndpoint endpoint, RateLimiter rateLimiter) {
        this.pipeline = RequestPipeline.of(LambdaFunction.FTP_USERS, rateLimiter)
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
