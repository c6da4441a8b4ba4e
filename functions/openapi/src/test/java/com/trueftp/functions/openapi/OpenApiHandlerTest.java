package com.trueftp.functions.openapi;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.trueftp.core.Json;
import com.trueftp.http.Routes;
import org.junit.jupiter.params.ParameterizedTest;

import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The openapi function fed the request API Gateway sends without a token. */
class OpenApiHandlerTest {
    private static final OpenApiHandler HANDLER = new OpenApiHandler();

    @ParameterizedTest
    @Event(value = "events/openapi/get-openapi.json", type = APIGatewayProxyRequestEvent.class)
    void servesTheDocumentAsJsonToAnyoneWithoutCountingThem(APIGatewayProxyRequestEvent event) throws Exception {
        APIGatewayProxyResponseEvent response = HANDLER.handleRequest(event, null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/json; charset=utf-8")
                .doesNotContainKey("X-RateLimit-Remaining");
        Map<String, Object> document = Json.readObject(response.getBody());
        assertThat(document).containsEntry("openapi", "3.1.0");
        @SuppressWarnings("unchecked")
        Map<String, Object> paths = (Map<String, Object>) document.get("paths");
        assertThat(paths.keySet()).containsExactlyInAnyOrderElementsOf(Routes.ALL.stream()
                .map(r -> r.path()).collect(Collectors.toSet()));
    }

    @ParameterizedTest
    @Event(value = "events/openapi/get-openapi.json", type = APIGatewayProxyRequestEvent.class)
    void anotherMethodIs405NamingGet(APIGatewayProxyRequestEvent event) throws Exception {
        event.setHttpMethod("DELETE");

        APIGatewayProxyResponseEvent response = HANDLER.handleRequest(event, null);

        assertThat(response.getStatusCode()).isEqualTo(405);
        assertThat(response.getHeaders()).containsEntry("Allow", "GET");
        assertThat(Json.readObject(response.getBody())).containsOnlyKeys("error");
    }
}
