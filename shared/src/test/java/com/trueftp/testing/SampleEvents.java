package com.trueftp.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.trueftp.core.Json;
import com.trueftp.core.RandomIds;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The JSON files of events-samples/ (on the test classpath under events/), read with the serializer the Lambda
 * Java runtime itself uses (so a sample that loads here loads on Lambda), and what handlers answer them.
 */
public final class SampleEvents {
    private SampleEvents() {
    }

    public static <T> T load(String name, Class<T> type) {
        return EventLoader.loadEvent("events/" + name, type);
    }

    /**
     * A proxy request as the authorizer lets it through, from a caller of {@code accountId} with a key of its own
     * (so that tests never share an hourly count).
     */
    public static APIGatewayProxyRequestEvent request(String name, String accountId) {
        return asCaller(load(name, APIGatewayProxyRequestEvent.class), accountId);
    }

    /** The request, from a caller of {@code accountId} with a key of its own. */
    public static APIGatewayProxyRequestEvent asCaller(APIGatewayProxyRequestEvent event, String accountId) {
        Map<String, Object> authorizer = event.getRequestContext().getAuthorizer();
        if (authorizer != null) {
            authorizer.put("accountId", accountId);
            authorizer.put("keyId", RandomIds.newId("key"));
        }
        return event;
    }

    /** A handler's answer as the JSON object it carries. */
    public static Map<String, Object> json(APIGatewayProxyResponseEvent response) {
        try {
            return Json.readObject(response.getBody());
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON object: " + response.getBody(), e);
        }
    }
}
