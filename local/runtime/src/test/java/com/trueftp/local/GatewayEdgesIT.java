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
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
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

    /** A raw answer: the status, the header lines as sent, the body. */
    record Raw(int status, List<String> headerLines, String body) {
        Map<String, Object> json() throws IOException {
            return Json.readObject(body);
        }
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
        Raw answer = send(request.getBytes(StandardCharsets.ISO_8859_1), false);

        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.headerLines()).anyMatch(h -> h.startsWith("Content-Type: application/json"));
        assertThat(answer.json()).containsOnlyKeys("error");
        assertThat((String) answer.json().get("error")).startsWith("malformed HTTP request");
    }

    @Test
    void aBodyShorterThanItsContentLengthIsAnswered400WhenTheClientStopsSending() throws Exception {
        String request = "POST /api/ext/v1/ftp-users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"username\":";
        Raw answer = send(request.getBytes(StandardCharsets.UTF_8), true);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json()).isEqualTo(Map.of("error", "request body ended before its Content-Length"));
    }

    @Test
    void aTokenWithATrailingNulIs401() throws Exception {
        String request = "GET /api/ext/v1/account HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                + "\u0000\r\nConnection: close\r\n\r\n";
        Raw answer = send(request.getBytes(StandardCharsets.UTF_8), false);

        assertThat(answer.status()).isBetween(400, 401); // refused by the server or, if it got through, by the authorizer
        assertThat(answer.json()).containsOnlyKeys("error");
    }

    @Test
    void headerNamesGoOutExactlyAsTheApiWritesThem() throws Exception {
        Raw answer = send(("GET /api/ext/v1/account HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8), false);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.headerLines()).anyMatch(h -> h.startsWith("X-RateLimit-Limit: "))
                .anyMatch(h -> h.startsWith("X-RateLimit-Remaining: ")).anyMatch(h -> h.startsWith("X-Request-Id: "));
    }

    @Test
    void aQueryStringThatIsNotUtf8Is400() throws Exception {
        Raw answer = send(("GET /api/ext/v1/events?type=%FF HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8), false);

        assertThat(answer.status()).isEqualTo(400);
        assertThat((String) answer.json().get("error")).contains("not valid UTF-8");
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

        Raw answer = send(request.toByteArray(), false);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json()).isEqualTo(Map.of("error", "request body is not valid UTF-8"));
        assertThat(ApiClient.json(client.get("/ftp-users", token))).containsEntry("total", 0);
    }

    private static Raw send(byte[] request, boolean halfClose) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), URI.create(runtime.baseUrl()).getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            if (halfClose) {
                socket.shutdownOutput();
            }
            return parse(socket.getInputStream());
        }
    }

    private static Raw parse(InputStream in) throws IOException {
        String head = readHead(in);
        List<String> lines = List.of(head.split("\r\n", -1));
        int status = Integer.parseInt(lines.get(0).split(" ", 3)[1]);
        List<String> headers = lines.subList(1, lines.size());
        int length = headers.stream().filter(h -> h.toLowerCase(Locale.ROOT).startsWith("content-length:"))
                .map(h -> Integer.parseInt(h.substring(h.indexOf(':') + 1).trim())).findFirst().orElse(0);
        return new Raw(status, headers, new String(in.readNBytes(length), StandardCharsets.UTF_8));
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before the answer's headers ended: " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.length() - end.length);
    }
}
