package com.trueftp.filesapi;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.trueftp.config.Config;
import com.trueftp.http.LambdaFunction;
import com.trueftp.http.RequestPipeline;
import com.trueftp.ratelimit.RateLimiter;

/** The files function: list, download, upload, upload-url, delete and mkdir in an FTP user's space. */
public class FilesHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final RequestPipeline pipeline;

    /** Lambda's entry: wiring happens once, at cold start. */
    public FilesHandler() {
        this(DaggerFilesComponent.factory().create(Config.fromEnvironment()));
    }

    FilesHandler(FilesComponent component) {
        this(component.endpoint(), component.rateLimiter());
    }

    public FilesHandler(FilesEndpoint endpoint, RateLimiter rateLimiter) {
        this.pipeline = RequestPipeline.of(LambdaFunction.FILES, rateLimiter)
                .on("GET /ftp-users/{id}/files", endpoint::list)
                .on("GET /ftp-users/{id}/files/download", endpoint::download)
                .on("POST /ftp-users/{id}/files", endpoint::upload)
                .on("DELETE /ftp-users/{id}/files", endpoint::delete)
                .on("POST /ftp-users/{id}/files/mkdir", endpoint::mkdir)
                .on("POST /ftp-users/{id}/files/upload-url", endpoint::uploadUrl)
                .build();
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return pipeline.handle(event, context);
    }
}
