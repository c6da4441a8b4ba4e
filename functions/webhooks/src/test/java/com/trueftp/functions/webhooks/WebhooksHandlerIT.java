package com.trueftp.functions.webhooks;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.trueftp.account.Plan;
import com.trueftp.aws.Queues;
import com.trueftp.core.Config;
import com.trueftp.core.Json;
import com.trueftp.core.RandomIds;
import com.trueftp.testing.AwsUnderTest;
import com.trueftp.testing.SampleEvents;
import com.trueftp.webhooks.Delivery;
import com.trueftp.webhooks.DeliveryJob;
import com.trueftp.webhooks.Webhook;
import com.trueftp.webhooks.WebhookRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.trueftp.testing.SampleEvents.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The webhooks function fed sample events, against the emulators (DynamoDB, SQS). */
class WebhooksHandlerIT {
    private static final String URL = "https://hooks.example.com/trueftp";

    private AwsUnderTest aws;
    private WebhooksHandler handler;
    private WebhookRepository webhooks;
    private String account;

    @BeforeEach
    void setUp() {
        aws = AwsUnderTest.emulators();
        handler = handler(aws.config());
        webhooks = aws.graph().webhooks();
        account = aws.accounts().create("Acme", Plan.PRO).id();
    }

    private static WebhooksHandler handler(Config config) {
        return new WebhooksHandler(DaggerWebhooksComponent.factory().create(config));
    }

    private static APIGatewayProxyRequestEvent sample(String name, String accountId, Map<String, String> path) {
        APIGatewayProxyRequestEvent event = SampleEvents.request("webhooks/" + name, accountId);
        if (!path.isEmpty()) {
            event.setPathParameters(path);
            String resolved = event.getResource();
            for (var p : path.entrySet()) {
                resolved = resolved.replace("{" + p.getKey() + "}", p.getValue());
            }
            event.setPath(resolved);
        }
        return event;
    }

    /** A JSON body as API Gateway passes it (application/json is a binary media type): base64. */
    private static APIGatewayProxyRequestEvent withJson(APIGatewayProxyRequestEvent event, String json) {
        return event.withBody(json == null ? null : Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)))
                .withIsBase64Encoded(json != null);
    }

    private APIGatewayProxyResponseEvent create(WebhooksHandler on, String accountId, String body) {
        return on.handleRequest(withJson(sample("create-webhook.json", accountId, Map.of()), body), null);
    }

    private String createWebhook(String accountId) {
        APIGatewayProxyResponseEvent created = create(handler, accountId, "{\"url\":\"" + URL + "\"}");
        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(201);
        return (String) json(created).get("id");
    }

    private APIGatewayProxyResponseEvent on(String sample, String accountId, String id, String body) {
        APIGatewayProxyRequestEvent event = sample(sample, accountId, Map.of("id", id));
        return handler.handleRequest(body == null ? event : withJson(event, body), null);
    }

    @Test
    void createShowsTheSecretOnceAndNothingElseEverShowsIt() {
        APIGatewayProxyResponseEvent response = handler.handleRequest(sample("create-webhook.json", account, Map.of()), null);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
        Map<String, Object> created = json(response);
        assertThat(created).containsEntry("url", URL).containsEntry("events", List.of("file.uploaded"))
                .containsEntry("description", "partner drops").containsEntry("active", true)
                .containsEntry("disabled_reason", null).containsKeys("created_at", "updated_at");
        assertThat((String) created.get("id")).matches("whk_[0-9A-Za-z]{20}");
        String secret = (String) created.get("secret");
        assertThat(secret).matches("whsec_[A-Za-z0-9+/]{43}=");
        assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSize(32);

        String id = (String) created.get("id");
        APIGatewayProxyResponseEvent got = on("get-webhook.json", account, id, null);
        APIGatewayProxyResponseEvent listed = handler.handleRequest(sample("list-webhooks.json", account, Map.of()), null);
        Map<String, Object> expected = new HashMap<>(created);
        expected.remove("secret");
        assertThat(json(got)).isEqualTo(expected);
        assertThat(json(listed)).isEqualTo(Map.of("data", List.of(expected), "limit", 50, "offset", 0, "total", 1));
        assertThat(got.getBody() + listed.getBody()).doesNotContain(secret).doesNotContain("whsec_");
    }

    @Test
    void eventsDefaultToEveryTypeAndActiveToTrue() {
        Map<String, Object> created = json(create(handler, account, "{\"url\":\"http://127.0.0.1:9/hook\"}"));
        assertThat(created).containsEntry("events", List.of("*")).containsEntry("active", true)
                .containsEntry("description", null);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {}                                                  | url is required
            {"url":"not a url"}                                 | url must be ASCII without spaces (percent-encode the rest)
            {"url":"ftp://example.com/x"}                       | url must be an absolute http or https URL
            {"url":"/relative/path"}                            | url must be an absolute http or https URL
            {"url":"https://user:pw@example.com/"}              | url must not contain a user name or password
            {"url":42}                                          | url must be a string
            {"url":"https://example.com","events":[]}           | events must be a non-empty list of event types, or ["*"] for all
            {"url":"https://example.com","events":["file.eaten"]} | unknown event type: file.eaten (known: file.uploaded, file.downloaded, file.deleted, folder.created, folder.deleted, ftp_user.created, ftp_user.updated, ftp_user.deleted, or * for all)
            {"url":"https://example.com","events":["*","file.deleted"]} | events: "*" means every type and stands alone
            {"url":"https://example.com","active":"yes"}        | active must be true or false
            {"url":"https://example.com","secret":"whsec_x"}    | unknown field: secret (allowed: active, description, events, url)
            """)
    void badInputIs400NamingWhatIsWrongAndCreatesNothing(String body, String error) {
        APIGatewayProxyResponseEvent response = create(handler, account, body);

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(json(response)).isEqualTo(Map.of("error", error));
        assertThat(webhooks.count(account)).isZero();
    }

    @Test
    void aUrlOverTwoKilobytesIsRefused() {
        String url = "https://example.com/" + "a".repeat(2048 - 19);
        assertThat(json(create(handler, account, "{\"url\":\"" + url + "\"}")))
                .isEqualTo(Map.of("error", "url must be at most 2048 bytes"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            http://hooks.example.com/x     | url must be an absolute https URL
            https://127.0.0.1/x            | url host 127.0.0.1 is or resolves to a refused address (127.0.0.1): webhooks reach public internet addresses only
            https://localhost:8443/x       | url host localhost is or resolves to a refused address
            https://10.1.2.3/x             | url host 10.1.2.3 is or resolves to a refused address (10.1.2.3): webhooks reach public internet addresses only
            https://169.254.169.254/latest | url host 169.254.169.254 is or resolves to a refused address (169.254.169.254): webhooks reach public internet addresses only
            https://[::ffff:10.0.0.1]/x    | url host [::ffff:10.0.0.1] is or resolves to a refused address
            https://[::1]/x                | url host [::1] is or resolves to a refused address
            https://nowhere.invalid/x      | url host nowhere.invalid does not resolve
            """)
    void onAwsOnlyHttpsToPublicAddressesIsAccepted(String url, String error) {
        WebhooksHandler onAws = handler(aws.config().with(Config.WEBHOOK_ALLOW_PRIVATE_TARGETS, "false"));

        APIGatewayProxyResponseEvent response = create(onAws, account, "{\"url\":\"" + url + "\"}");

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat((String) json(response).get("error")).startsWith(error);
        assertThat(webhooks.count(account)).isZero();
    }

    @Test
    void theTwentyFirstWebhookIsRefused() {
        for (int i = 0; i < 20; i++) {
            createWebhook(account);
        }
        APIGatewayProxyResponseEvent refused = create(handler, account, "{\"url\":\"" + URL + "\"}");

        assertThat(refused.getStatusCode()).isEqualTo(403);
        assertThat(json(refused)).isEqualTo(Map.of("error", "webhook limit reached (20 per account)"));
        assertThat(webhooks.count(account)).isEqualTo(20);
    }

    @Test
    void anotherAccountsWebhookAnswersLikeAnUnknownOne() {
        String id = createWebhook(account);
        String other = aws.accounts().create("Other", Plan.PRO).id();
        for (String sample : List.of("get-webhook.json", "update-webhook.json", "delete-webhook.json",
                "ping-webhook.json", "rotate-webhook-secret.json", "list-webhook-deliveries.json")) {
            APIGatewayProxyResponseEvent foreign = on(sample, other, id, null);
            APIGatewayProxyResponseEvent unknown = on(sample, account, "whk_doesnotexist00000000", null);
            assertThat(foreign.getStatusCode()).as(sample).isEqualTo(404);
            assertThat(foreign.getBody()).as(sample).isEqualTo(unknown.getBody())
                    .isEqualTo("{\"error\":\"webhook not found\"}");
        }
        assertThat(json(on("get-webhook.json", account, id, null))).containsEntry("url", URL);
    }

    @Test
    void updateChangesWhatIsSentAndReactivatingClearsTheReason() {
        String id = createWebhook(account);
        Webhook stored = webhooks.get(account, id);
        webhooks.disable(stored, Webhook.GONE);
        assertThat(json(on("get-webhook.json", account, id, null))).containsEntry("active", false)
                .containsEntry("disabled_reason", "gone");

        Map<String, Object> updated = json(on("update-webhook.json", account, id,
                "{\"events\":[\"file.deleted\"],\"description\":\"new\",\"active\":true}"));

        assertThat(updated).containsEntry("events", List.of("file.deleted")).containsEntry("description", "new")
                .containsEntry("active", true).containsEntry("disabled_reason", null).containsEntry("url", URL);
        assertThat(json(on("update-webhook.json", account, id, "{\"description\":null}")))
                .containsEntry("description", null);
        APIGatewayProxyResponseEvent nothing = on("update-webhook.json", account, id, "{}");
        assertThat(nothing.getStatusCode()).isEqualTo(400);
        assertThat(json(nothing)).isEqualTo(Map.of("error",
                "nothing to change: send at least one of url, events, description, active"));
    }

    @Test
    void deleteRemovesTheWebhookAndFreesItsPlace() {
        String id = createWebhook(account);

        assertThat(on("delete-webhook.json", account, id, null).getStatusCode()).isEqualTo(204);

        assertThat(on("get-webhook.json", account, id, null).getStatusCode()).isEqualTo(404);
        assertThat(on("delete-webhook.json", account, id, null).getStatusCode()).isEqualTo(404);
        assertThat(webhooks.count(account)).isZero();
    }

    @Test
    void rotatingKeepsThePreviousSecretSigningForTheTimeAsked() {
        String id = createWebhook(account);
        String first = webhooks.get(account, id).signing().secret();

        Map<String, Object> rotated = json(on("rotate-webhook-secret.json", account, id, null));

        String second = (String) rotated.get("secret");
        assertThat(second).startsWith("whsec_").isNotEqualTo(first);
        Webhook.Signing signing = webhooks.get(account, id).signing();
        assertThat(signing.secretsAt(Instant.now())).containsExactly(second, first);
        assertThat(signing.previousExpiresAt()).isBetween(Instant.now().plus(Duration.ofMinutes(59)),
                Instant.now().plus(Duration.ofMinutes(61)));

        String third = (String) json(on("rotate-webhook-secret.json", account, id, "{\"previous_expires_in\":0}"))
                .get("secret");
        assertThat(webhooks.get(account, id).signing().secretsAt(Instant.now())).containsExactly(third);
        APIGatewayProxyResponseEvent tooLong = on("rotate-webhook-secret.json", account, id,
                "{\"previous_expires_in\":604801}");
        assertThat(json(tooLong)).isEqualTo(Map.of("error",
                "previous_expires_in must be a whole number of seconds from 0 to 604800"));
    }

    @Test
    void pingQueuesOneWebhookPingForTheWebhook() {
        String id = createWebhook(account);

        APIGatewayProxyResponseEvent response = on("ping-webhook.json", account, id, null);

        assertThat(response.getStatusCode()).isEqualTo(202);
        String eventId = (String) json(response).get("event_id");
        DeliveryJob job = queued(eventId);
        assertThat(job.kind()).isEqualTo(DeliveryJob.Kind.PING);
        assertThat(job.eventType()).isEqualTo("webhook.ping");
        assertThat(job.webhookId()).isEqualTo(id);
        assertThat(job.payload()).contains("\"type\":\"webhook.ping\"").contains("\"data\":{\"webhook_id\":\"" + id + "\"}");
    }

    @Test
    void deliveriesAreListedNewestFirstAndOneCanBeRedelivered() throws Exception {
        String id = createWebhook(account);
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<Delivery> logged = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Delivery d = new Delivery(RandomIds.newSortableId("dlv", t.toEpochMilli() + i), id,
                    account, "evt_" + i, "file.uploaded", i, i == 3, i == 3 ? 200 : 500, null, 12, "ok", false,
                    i == 3 ? null : t.plusSeconds(5), t.plusMillis(i), "{\"id\":\"evt_" + i + "\"}");
            aws.graph().deliveries().record(d);
            logged.add(d);
        }

        Map<String, Object> page = json(on("list-webhook-deliveries.json", account, id, null));

        assertThat(page).containsEntry("total", 3);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> data = (List<Map<String, Object>>) page.get("data");
        assertThat(data).extracting(d -> d.get("event_id")).containsExactly("evt_3", "evt_2", "evt_1");
        assertThat(data.get(0)).isEqualTo(Json.readObject(Json.write(logged.get(2).toJson()))).doesNotContainKey("payload");

        APIGatewayProxyRequestEvent redeliver = sample("redeliver-webhook-delivery.json", account,
                Map.of("id", id, "delivery_id", logged.get(0).id()));
        assertThat(handler.handleRequest(redeliver, null).getStatusCode()).isEqualTo(202);
        DeliveryJob job = queued("evt_1");
        assertThat(job.kind()).isEqualTo(DeliveryJob.Kind.REDELIVERY);
        assertThat(job.payload()).isEqualTo("{\"id\":\"evt_1\"}");

        APIGatewayProxyRequestEvent unknown = sample("redeliver-webhook-delivery.json", account,
                Map.of("id", id, "delivery_id", "dlv_00000000000000000000"));
        APIGatewayProxyResponseEvent missing = handler.handleRequest(unknown, null);
        assertThat(missing.getStatusCode()).isEqualTo(404);
        assertThat(json(missing)).isEqualTo(Map.of("error", "delivery not found"));
    }

    /** The job queued for the event, taken off the deliveries queue (other tests' jobs are left alone). */
    private DeliveryJob queued(String eventId) {
        String queue = aws.config().require(Queues.WEBHOOK_DELIVERIES.urlVariable());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            for (var message : aws.graph().sqs().receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10)
                    .waitTimeSeconds(1).visibilityTimeout(0)).messages()) {
                DeliveryJob job = DeliveryJob.fromJson(message.body());
                if (job.eventId().equals(eventId)) {
                    aws.graph().sqs().deleteMessage(d -> d.queueUrl(queue).receiptHandle(message.receiptHandle()));
                    return job;
                }
            }
        }
        throw new AssertionError("no job queued for " + eventId);
    }
}
