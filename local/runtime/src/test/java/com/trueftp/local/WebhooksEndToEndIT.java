package com.trueftp.local;

import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.trueftp.core.Config;
import com.trueftp.core.Json;
import com.trueftp.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Webhooks as a customer sees them on {@code ./trueftp local}: a receiver on 127.0.0.1 subscribed through the
 * API gets the events of file changes made through the API, signed, by way of the events stream, the fan-out,
 * the deliveries queue and the dispatcher, each driven as Lambda's event sources drive them.
 */
class WebhooksEndToEndIT {
    @TempDir
    static Path data;
    static LocalRuntime runtime;
    static ApiClient client;
    /** Each test's own, so that one test's retries never reach another's. */
    WebhookReceiver receiver;

    @BeforeAll
    static void start() throws Exception {
        System.setProperty(Config.WEBHOOK_RETRY_SCHEDULE, "0.5,0.5"); // three attempts, a second in all
        runtime = LocalRuntime.start(0, data, Duration.ofSeconds(1), LogLevel.WARN);
        client = new ApiClient(runtime.baseUrl(), data);
    }

    @AfterAll
    static void stop() {
        runtime.close();
        System.clearProperty(Config.WEBHOOK_RETRY_SCHEDULE);
    }

    @BeforeEach
    void receiver() {
        receiver = WebhookReceiver.start();
    }

    @AfterEach
    void closeReceiver() {
        receiver.close();
    }

    private static Map<String, Object> created(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return ApiClient.json(response);
    }

    private static String ftpUser(String token) throws Exception {
        return (String) created(client.send("POST", "/ftp-users", token,
                "{\"username\":\"pipeline\",\"password\":\"a-strong-secret\",\"can_write\":true}"), 201).get("id");
    }

    private Map<String, Object> webhook(String token, String path, String events) throws Exception {
        return created(client.send("POST", "/webhooks", token,
                "{\"url\":\"" + receiver.url(path) + "\",\"events\":" + events + "}"), 201);
    }

    private static void upload(String token, String user, String path) throws Exception {
        assertThat(client.send("POST", "/ftp-users/" + user + "/files?path=" + path, token, ApiClient.MULTIPART_TYPE,
                ApiClient.multipartFile("x.csv", "a,b\n".getBytes(StandardCharsets.UTF_8))).statusCode()).isEqualTo(201);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> deliveries(String token, String webhookId) throws Exception {
        return (List<Map<String, Object>>) ApiClient.json(client.get("/webhooks/" + webhookId + "/deliveries", token))
                .get("data");
    }

    /** The webhook's deliveries log once it holds {@code count} attempts (or after 15 s). */
    private static List<Map<String, Object>> logged(String token, String webhookId, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        List<Map<String, Object>> log = deliveries(token, webhookId);
        while (log.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
            log = deliveries(token, webhookId);
        }
        return log;
    }

    @Test
    void anUploadReachesTheSubscribedReceiverSignedAndLoggedAndNoOneElse() throws Exception {
        String token = client.newKey("pro", "read,write");
        String user = ftpUser(token);
        Map<String, Object> uploads = webhook(token, "/uploads", "[\"file.uploaded\"]");
        Map<String, Object> deletes = webhook(token, "/deletes", "[\"file.deleted\"]");
        String otherToken = client.newKey("pro", "read,write");
        webhook(otherToken, "/other-account", "[\"*\"]");
        receiver.drain(); // nothing is sent on create: checked below

        upload(token, user, "/in/report.csv");

        WebhookReceiver.Received got = receiver.next(Duration.ofSeconds(10));
        assertThat(got).isNotNull();
        assertThat(got.path()).isEqualTo("/uploads");
        String secret = (String) uploads.get("secret");
        assertThat(got.trueftpSignatureVerifies(secret)).isTrue();
        assertThat(got.standardSignatureVerifies(secret)).isTrue();
        Map<String, Object> body = Json.readObject(got.bodyText());
        assertThat(body).containsEntry("type", "file.uploaded");
        @SuppressWarnings("unchecked")
        Map<String, Object> event = (Map<String, Object>) body.get("data");
        Map<String, Object> listed = ApiClient.json(client.get("/events?limit=1", token));
        assertThat(listed.get("data")).isEqualTo(List.of(event)); // the event exactly as GET /events shows it
        assertThat(got.header("webhook-id")).isEqualTo(event.get("id"));

        assertThat(receiver.next(Duration.ofSeconds(1))).as("deliveries to others").isNull();
        assertThat(deliveries(token, (String) deletes.get("id"))).isEmpty();
        List<Map<String, Object>> log = logged(token, (String) uploads.get("id"), 1);
        assertThat(log).singleElement().satisfies(d -> assertThat(d).containsEntry("status", "succeeded")
                .containsEntry("response_status", 200).containsEntry("event_type", "file.uploaded")
                .containsEntry("event_id", event.get("id")));
    }

    @Test
    void aFailingReceiverShowsItsFailedAttemptsAndRetriesInTheLog() throws Exception {
        String token = client.newKey("pro", "read,write");
        String user = ftpUser(token);
        receiver.answer(path -> path.equals("/broken") ? new WebhookReceiver.Answer(500, Map.of(), "oops")
                : WebhookReceiver.Answer.of(200));
        String id = (String) webhook(token, "/broken", "[\"*\"]").get("id");

        upload(token, user, "/in/a.csv");

        List<Map<String, Object>> log = logged(token, id, 3);
        assertThat(log).extracting(d -> d.get("attempt")).containsExactly(3, 2, 1);
        assertThat(log).allSatisfy(d -> assertThat(d).containsEntry("status", "failed")
                .containsEntry("response_status", 500).containsEntry("response_body", "oops"));
        assertThat(log.get(0)).containsEntry("next_attempt_at", null);
        assertThat(log.get(2).get("next_attempt_at")).isNotNull();
    }

    @Test
    void pingAndRedeliverSendOnRequest() throws Exception {
        receiver.answer(path -> WebhookReceiver.Answer.of(200));
        String token = client.newKey("pro", "read,write");
        Map<String, Object> hook = webhook(token, "/ping", "[\"file.deleted\"]");
        String id = (String) hook.get("id");
        receiver.drain();

        String eventId = (String) created(client.send("POST", "/webhooks/" + id + "/ping", token, null), 202)
                .get("event_id");

        WebhookReceiver.Received ping = receiver.next(Duration.ofSeconds(10));
        assertThat(ping.header("X-TrueFTP-Event")).isEqualTo("webhook.ping");
        assertThat(ping.header("webhook-id")).isEqualTo(eventId);
        String delivery = (String) logged(token, id, 1).get(0).get("id"); // logged once the receiver answered

        created(client.send("POST", "/webhooks/" + id + "/deliveries/" + delivery + "/redeliver", token, null), 202);

        WebhookReceiver.Received again = receiver.next(Duration.ofSeconds(10));
        assertThat(again.header("webhook-id")).isEqualTo(eventId);
        assertThat(again.bodyText()).isEqualTo(ping.bodyText());
        assertThat(again.standardSignatureVerifies((String) hook.get("secret"))).isTrue();
    }

    @Test
    void aHangingReceiverDelaysNoOtherReceiverOfTheSameOrAnotherAccount() throws Exception {
        receiver.answer(path -> path.equals("/hang") ? null : WebhookReceiver.Answer.of(200)); // never answers
        String token = client.newKey("pro", "read,write");
        String user = ftpUser(token);
        webhook(token, "/hang", "[\"file.uploaded\"]");
        webhook(token, "/healthy", "[\"file.uploaded\"]");
        String otherToken = client.newKey("pro", "read,write");
        String otherUser = ftpUser(otherToken);
        webhook(otherToken, "/other", "[\"file.uploaded\"]");

        long start = System.currentTimeMillis();
        for (int i = 0; i < 10; i++) {
            upload(token, user, "/in/" + i + ".csv");
            upload(otherToken, otherUser, "/in/" + i + ".csv");
        }

        Map<String, Integer> delivered = new java.util.TreeMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while ((delivered.getOrDefault("/healthy", 0) < 10 || delivered.getOrDefault("/other", 0) < 10)
                && System.nanoTime() < deadline) {
            WebhookReceiver.Received got = receiver.next(Duration.ofMillis(200));
            if (got != null) {
                delivered.merge(got.path(), 1, Integer::sum);
            }
        }
        // Ten events each, long before the hanging receiver's first attempt (15 s) could even time out.
        assertThat(delivered).containsEntry("/healthy", 10).containsEntry("/other", 10);
        assertThat(System.currentTimeMillis() - start).isLessThan(15_000);
    }
}
