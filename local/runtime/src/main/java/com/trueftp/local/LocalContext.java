package com.trueftp.local;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.trueftp.core.Json;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/** The Lambda context of one local invocation; its logger writes JSON lines like Lambda's JSON log format. */
public final class LocalContext implements Context {
    private static final int TIMEOUT_MS = 29_000;

    private final String functionName;
    private final String requestId = UUID.randomUUID().toString();
    private final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
    private final LambdaLogger logger;

    public LocalContext(String functionName, LogLevel minimumLevel) {
        this.functionName = functionName;
        this.logger = new JsonLogger(functionName, requestId, minimumLevel);
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/local/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "local";
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:us-east-1:000000000000:function:" + functionName;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, deadline - System.currentTimeMillis());
    }

    @Override
    public int getMemoryLimitInMB() {
        return 1024;
    }

    @Override
    public LambdaLogger getLogger() {
        return logger;
    }

    private record JsonLogger(String function, String requestId, LogLevel minimum) implements LambdaLogger {
        @Override
        public void log(String message) {
            log(message, LogLevel.INFO);
        }

        @Override
        public void log(byte[] message) {
            log(new String(message, StandardCharsets.UTF_8));
        }

        @Override
        public void log(String message, LogLevel level) {
            if (level.compareTo(minimum) < 0) { // LogLevel lists levels from the most to the least detailed
                return;
            }
            System.err.println(Json.write(Json.object("timestamp", Instant.now().toString(), "level", level.name(),
                    "function", function, "requestId", requestId, "message", message)));
        }
    }
}
