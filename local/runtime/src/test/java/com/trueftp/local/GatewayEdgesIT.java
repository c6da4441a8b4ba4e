package com.trueftp.local;

import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.trueftp.core.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a client that does not play by the rules sends the local gateway, byte for byte over a socket: every
 * answer is still the API's JSON, with the API's header names exactly.
 */
class GatewayEdgesIT {
    @TempDir
    static Path data;
    static LocalRuntime runtime;
    static ApiClient client;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        runtime = LocalRuntime.start(0, data, Duration.ofSeconds(1), LogLevel.WARN);
        client = new ApiClient(runtime.baseUrl(), data);
        token = client.newKey("pro", "read,write");
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "GET * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            "GET /api/ext/v1/ftp-users/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            "GET /api/ext/v1/account HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer\r\n tftp_x\r\nConnection: close\r\n\r\n",
            "GET /api/ext/v1/account HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\u0000\r\nConnection: close\r\n\r\n",
            "NOT A REQUEST\r\n\r\n",
            "GET /api/ext/v1/account HTTP/9.9\r\nHost: x\r\n\r\n"})
    void requestsTheServerCannotParseAre400InJson(String request) throws Exception {
        RawHttp.Answer answer = send(request.getBytes(StandardCharsets.ISO_8859_1), false);

        assertThat(answer.status()).as(answer.text()).isEqualTo(400);
        assertThat(answer.headerLines()).anyMatch(h -> h.startsWith("Content-Type: application/json"));
        assertThat(json(answer)).containsOnlyKeys("error");
        assertThat((String) json(answer).get("error")).startsWith("malformed HTTP request");
    }

    @Test
    void aBodyShorterThanItsContentLengthIsAnswered400WhenTheClientStopsSending() throws Exception {
        String request = "POST /api/ext/v1/ftp-users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"username\":";
        RawHttp.Answer answer = send(request.getBytes(StandardCharsets.UTF_8), true);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(json(answer)).isEqualTo(Map.of("error", "request body ended before its Content-Length"));
    }

    @Test
    void aTokenWithATrailingNulIs401() throws Exception {
        String request = "GET /api/ext/v1/account HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                + "\u0000\r\nConnection: close\r\n\r\n";
        RawHttp.Answer answer = send(request.getBytes(StandardCharsets.UTF_8), false);

        assertThat(answer.status()).isBetween(400, 401); // refused by the server or, if it got through, by the authorizer
        assertThat(json(answer)).containsOnlyKeys("error");
    }

    @Test
    void headerNamesGoOutExactlyAsTheApiWritesThem() throws Exception {
        RawHttp.Answer answer = send(("GET /api/ext/v1/account HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8), false);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.headerLines()).anyMatch(h -> h.startsWith("X-RateLimit-Limit: "))
                .anyMatch(h -> h.startsWith("X-RateLimit-Remaining: ")).anyMatch(h -> h.startsWith("X-Request-Id: "));
    }

    @Test
    void aQueryStringThatIsNotUtf8Is400() throws Exception {
        RawHttp.Answer answer = send(("GET /api/ext/v1/events?type=%FF HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8), false);

        assertThat(answer.status()).isEqualTo(400);
        assertThat((String) json(answer).get("error")).contains("not valid UTF-8");
    }

    @Test
    void aJsonBodyThatIsNotUtf8Is400AndCreatesNothing() throws Exception {
        byte[] head = ("POST /api/ext/v1/ftp-users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: ").getBytes(StandardCharsets.UTF_8);
        byte[] body = "{\"username\":\"raw\",\"password\":\"pass\u00ff\u00ffword-long\"}".getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.write(head);
        request.write((body.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        request.write(body);

        RawHttp.Answer answer = send(request.toByteArray(), false);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(json(answer)).isEqualTo(Map.of("error", "request body is not valid UTF-8"));
        assertThat(ApiClient.json(client.get("/ftp-users", token))).containsEntry("total", 0);
    }

    private static RawHttp.Answer send(byte[] request, boolean halfClose) throws IOException {
        return RawHttp.send(URI.create(runtime.baseUrl()).getPort(), request, halfClose);
    }

    private static Map<String, Object> json(RawHttp.Answer answer) throws IOException {
        return Json.readObject(answer.text());
    }
}
