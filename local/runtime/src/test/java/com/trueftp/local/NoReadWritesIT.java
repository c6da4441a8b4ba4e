package com.trueftp.local;

import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.trueftp.aws.Tables;
import com.trueftp.core.Config;
import com.trueftp.http.Route;
import com.trueftp.http.Routes;
import com.trueftp.stack.LambdaFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A GET that only reads writes nothing: every read route of the route table, served by handlers whose
 * DynamoDB and S3 refuse writes (the hourly request count aside), answers as it does anyway, and nothing was
 * written. A request that does record something (a download's event) is caught by the same check.
 */
class NoReadWritesIT {
    @TempDir
    static Path data;

    @Test
    void everyReadRouteAnswersWithoutWritingAnythingButTheHourlyCount() throws Exception {
        try (LocalRuntime runtime = LocalRuntime.start(0, data, Duration.ZERO, LogLevel.ERROR)) {
            ApiClient client = new ApiClient(runtime.baseUrl(), data);
            String token = client.newKey("pro", "read,write");
            String user = (String) ApiClient.json(client.send("POST", "/ftp-users", token,
                    "{\"username\":\"reader\",\"password\":\"a-strong-secret\"}")).get("id");
            assertThat(client.send("POST", "/ftp-users/" + user + "/files?path=/a.txt", token, ApiClient.MULTIPART_TYPE,
                    ApiClient.multipartFile("a.txt", "abc".getBytes(StandardCharsets.UTF_8))).statusCode()).isEqualTo(201);
            String webhook = (String) ApiClient.json(client.send("POST", "/webhooks", token,
                    "{\"url\":\"http://127.0.0.1:9/hook\",\"events\":[\"file.uploaded\"]}")).get("id");
            String rateLimits = runtime.aws().config().require(Tables.RATE_LIMITS.nameVariable());

            try (WriteRefusingProxy dynamo = WriteRefusingProxy.dynamoDb(runtime.aws().dynamoEndpoint(),
                    (operation, body) -> operation.equals("UpdateItem") && body.contains("\"" + rateLimits + "\""));
                 WriteRefusingProxy s3 = WriteRefusingProxy.s3(runtime.aws().s3Endpoint());
                 LocalGateway reads = gatewayBoundTo(Map.of(Config.DYNAMODB_ENDPOINT, dynamo.endpoint(),
                         Config.S3_ENDPOINT, s3.endpoint()))) {
                HttpClient http = HttpClient.newHttpClient();
                int checked = 0;
                for (Route route : Routes.ALL) {
                    if (!route.isRead()) {
                        continue;
                    }
                    HttpResponse<String> answer = get(http, reads.baseUrl() + target(route, user, webhook), token);
                    assertThat(answer.statusCode()).as(route + ": " + answer.body()).isEqualTo(200);
                    assertThat(dynamo.refused()).as(route + " wrote to DynamoDB").isEmpty();
                    assertThat(s3.refused()).as(route + " wrote to S3").isEmpty();
                    checked++;
                }
                assertThat(checked).as("the read routes").isEqualTo(9);

                // The check catches a write: a download records its event (it takes a turn to write it first).
                Route download = Routes.ALL.stream().filter(r -> r.path().endsWith("/download")).findFirst().orElseThrow();
                assertThat(download.isRead()).isFalse();
                get(http, reads.baseUrl() + target(download, user, webhook), token);
                assertThat(dynamo.refused()).isNotEmpty();
            }
        }
    }

    /** A second gateway whose handlers reach DynamoDB and S3 through the given endpoints. */
    private static LocalGateway gatewayBoundTo(Map<String, String> endpoints) throws Exception {
        Map<String, String> previous = new HashMap<>();
        endpoints.forEach((name, value) -> previous.put(name, System.setProperty(name, value)));
        try {
            LocalGateway gateway = LocalGateway.start(0, Duration.ZERO, LogLevel.ERROR, false);
            gateway.loadHandlers();
            return gateway;
        } finally {
            previous.forEach(System::setProperty); // the runtime's own handlers read the same properties
        }
    }

    private static String target(Route route, String user, String webhook) {
        String path = route.path().replace("{id}", route.function() == LambdaFunction.WEBHOOKS ? webhook : user);
        if (route.function() == LambdaFunction.FILES) {
            path += "?path=" + URLEncoder.encode(route.path().endsWith("/download") ? "/a.txt" : "/", StandardCharsets.UTF_8);
        }
        return path;
    }

    private static HttpResponse<String> get(HttpClient http, String url, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
