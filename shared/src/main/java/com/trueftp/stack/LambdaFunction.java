package com.trueftp.stack;

/**
 * The Lambda functions of the stack. The CDK app deploys {@code functions/<id>/target/lambda.jar}
 * with this handler; the local gateway instantiates the same class.
 */
public enum LambdaFunction {
    AUTHORIZER("authorizer", "com.trueftp.functions.authorizer.AuthorizerHandler", "Checks the tftp_ bearer token"),
    ACCOUNT("account", "com.trueftp.functions.account.AccountHandler", "GET /account"),
    FTP_USERS("ftp-users", "com.trueftp.functions.ftpusers.FtpUsersHandler", "/ftp-users: create, list, get, update, delete"),
    FILES("files", "com.trueftp.functions.files.FilesHandler",
            "/ftp-users/{id}/files: list, download, upload, upload-url, delete, mkdir"),
    EVENTS("events", "com.trueftp.functions.events.EventsHandler", "GET /events: the audit stream"),
    WEBHOOKS("webhooks", "com.trueftp.functions.webhooks.WebhooksHandler",
            "/webhooks: create, list, get, update, delete, ping, rotate-secret, deliveries, redeliver"),
    WEBHOOK_FANOUT("webhook-fanout", "com.trueftp.functions.webhookfanout.WebhookFanOutHandler",
            "Events table stream -> one queued delivery per matching webhook and event"),
    WEBHOOK_DISPATCHER("webhook-dispatcher", "com.trueftp.functions.webhookdispatcher.WebhookDispatcherHandler",
            "Deliveries queue -> signed HTTPS POST to the receiver, logged, retried"),
    FILE_ACTIVITY("file-activity", "com.trueftp.functions.fileactivity.FileActivityHandler",
            "S3 notifications of the files bucket -> one event and an exact storage count per change"),
    SFTP_AUTH("sftp-auth", "com.trueftp.functions.sftpauth.SftpAuthHandler",
            "The SFTP server's identity provider: password or key -> the session's home folder and policy"),
    OPENAPI("openapi", "com.trueftp.functions.openapi.OpenApiHandler", "GET /openapi.json: the API's OpenAPI document");

    private final String id;
    private final String handler;
    private final String description;

    LambdaFunction(String id, String handler, String description) {
        this.id = id;
        this.handler = handler;
        this.description = description;
    }

    public String id() {
        return id;
    }

    public String handler() {
        return handler;
    }

    public String description() {
        return description;
    }
}
