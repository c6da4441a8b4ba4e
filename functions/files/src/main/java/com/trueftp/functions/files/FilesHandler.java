package com.trueftp.functions.files;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.trueftp.core.Config;
import com.trueftp.http.RequestPipeline;

/** The files function: list, download, upload, upload-url, delete and mkdir in an FTP user's space. */
public class FilesHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final RequestPipeline pipeline;

    /** Lambda's entry: wiring happens once, at cold start. */
    public FilesHandler() {
        this(DaggerFilesComponent.factory().create(Config.fromEnvironment()));
    }

    /** Tests wire the function against emulators through the same component. */
    FilesHandler(FilesComponent component) {
        FilesEndpoint endpoint = component.endpoint();
        this.pipeline = RequestPipeline.of(component.rateLimiter()).idempotent(component.idempotencyRecords())
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
