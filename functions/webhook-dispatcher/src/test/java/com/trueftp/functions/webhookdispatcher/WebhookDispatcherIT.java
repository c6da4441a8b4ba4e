package com.trueftp.functions.webhookdispatcher;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.trueftp.account.Plan;
import com.trueftp.aws.Queues;
import com.trueftp.core.Config;
import com.trueftp.core.Json;
import com.trueftp.core.RandomIds;
import com.trueftp.events.Event;
import com.trueftp.events.EventSource;
import com.trueftp.events.EventType;
import com.trueftp.testing.AwsUnderTest;
import com.trueftp.testing.SampleEvents;
import com.trueftp.testing.TestContext;
import com.trueftp.testing.WebhookReceiver;
import com.trueftp.webhooks.Delivery;
import com.trueftp.webhooks.DeliveryJob;
import com.trueftp.webhooks.Webhook;
import com.trueftp.webhooks.WebhookRepository;
import com.trueftp.webhooks.WebhookSignatures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dispatcher function fed SQS batches of delivery jobs, against the emulators and a real receiver on
 * 127.0.0.1; signatures are checked by the receiver's own code and by the official verifier. The retry
 * schedule is compressed to fractions of a second.
 */
class WebhookDispatcherIT {
    private static final String SCHEDULE = "0.2,0.2,0.2,0.2";

    private AwsUnderTest aws;
    private Config config;
    private WebhookDispatcherHandler handler;
    private WebhookRepository webhooks;
    private WebhookReceiver receiver;
    private String account;

    @BeforeEach
    void setUp() {
        aws = AwsUnderTest.emulators();
        config = aws.config().with(Config.WEBHOOK_RETRY_SCHEDULE, SCHEDULE);
        handler = handler(config);
        webhooks = aws.graph().webhooks();
        receiver = WebhookReceiver.start();
        account = aws.accounts().create("Acme", Plan.PRO).id();
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    private static WebhookDispatcherHandler handler(Config config) {
        return new WebhookDispatcherHandler(DaggerWebhookDispatcherComponent.factory().create(config));
    }

    private Webhook webhook(String path) {
        return webhooks.create(account, new WebhookRepository.NewWebhook(receiver.url(path), List.of("*"), null, true),
                WebhookSignatures.newSecret(), 20);
    }

    private static Event uploaded(String path) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new Event(RandomIds.newId("evt"), 7, EventType.FILE_UPLOADED, "ftp_00SAMPLEUSER0000000", "pipeline",
                path, 1024L, EventSource.API, now);
    }

    /** The jobs as the deliveries queue hands them to the function: the sample batch with these bodies. */
    private SQSBatchResponse dispatch(WebhookDispatcherHandler on, DeliveryJob... jobs) {
        SQSEvent event = SampleEvents.load("webhook-dispatcher/delivery-batch.json", SQSEvent.class);
        SQSEvent.SQSMessage template = event.getRecords().get(0);
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (DeliveryJob job : jobs) {
            SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
            message.setMessageId(RandomIds.newId("msg"));
            message.setReceiptHandle(template.getReceiptHandle());
            message.setBody(job.toJson());
            message.setAttributes(template.getAttributes());
            message.setEventSource(template.getEventSource());
            message.setEventSourceArn(template.getEventSourceArn());
            records.add(message);
        }
        event.setRecords(records);
        return on.handleRequest(event, new TestContext());
    }

    private List<Delivery> logged(Webhook webhook) {
        return aws.graph().deliveries().page(webhook.id(), 0, 100);
    }

    /** Jobs queued for the webhook (retries, waits), taken off the queue. */
    private List<DeliveryJob> queuedFor(Webhook webhook, Duration wait) {
        String queue = config.require(Queues.WEBHOOK_DELIVERIES.urlVariable());
        List<DeliveryJob> jobs = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            for (var message : aws.graph().sqs().receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10)
                    .waitTimeSeconds(1).visibilityTimeout(30)).messages()) {
                DeliveryJob job = DeliveryJob.fromJson(message.body());
                if (job.webhookId().equals(webhook.id())) {
                    aws.graph().sqs().deleteMessage(d -> d.queueUrl(queue).receiptHandle(message.receiptHandle()));
                    jobs.add(job);
                } else {
                    aws.graph().sqs().changeMessageVisibility(c -> c.queueUrl(queue)
                            .receiptHandle(message.receiptHandle()).visibilityTimeout(0));
                }
            }
            if (!jobs.isEmpty()) {
                return jobs;
            }
        }
        return jobs;
    }

    @Test
    void aDeliveryIsTheEventSignedBothWaysAndLogged() throws Exception {
        Webhook webhook = webhook("/hook");
        Event event = uploaded("/incoming/report.csv");
        DeliveryJob job = DeliveryJob.of(account, webhook.id(), event);

        SQSBatchResponse response = dispatch(handler, job);

        assertThat(response.getBatchItemFailures()).isEmpty();
        WebhookReceiver.Received got = receiver.next(Duration.ofSeconds(5));
        assertThat(got).isNotNull();
        assertThat(Json.readObject(got.bodyText())).isEqualTo(Json.readObject(Json.write(Json.object("id", event.id(),
                "type", "file.uploaded", "timestamp", Json.timestamp(event.createdAt()), "data", event.toJson()))));
        assertThat(got.header("Content-Type")).isEqualTo("application/json");
        assertThat(got.header("User-Agent")).isEqualTo("TrueFTP-Webhooks/1");
        assertThat(got.header("X-TrueFTP-Event")).isEqualTo("file.uploaded");
        assertThat(got.header("X-TrueFTP-Webhook-Id")).isEqualTo(webhook.id());
        assertThat(got.header("webhook-id")).isEqualTo(event.id());
        assertThat(got.header("X-TrueFTP-Signature")).matches("t=\\d+,v1=[0-9a-f]{64}");
        assertThat(got.header("webhook-signature")).matches("v1,[A-Za-z0-9+/]{43}=");
        String secret = webhook.signing().secret();
        assertThat(got.trueftpSignatureVerifies(secret)).isTrue();
        assertThat(got.standardSignatureVerifies(secret)).isTrue();
        assertThat(got.standardSignatureVerifies(WebhookSignatures.newSecret())).isFalse();

        List<Delivery> log = logged(webhook);
        assertThat(log).hasSize(1);
        assertThat(log.get(0).id()).isEqualTo(got.header("X-TrueFTP-Delivery"));
        assertThat(log.get(0).toJson()).containsEntry("status", "succeeded").containsEntry("response_status", 200)
                .containsEntry("attempt", 1).containsEntry("error", null).containsEntry("response_body", "ok")
                .containsEntry("next_attempt_at", null).containsEntry("redelivery", false);
    }

    @Test
    void aReceiverDownForAWhileThenBackLosesNothing() throws Exception {
        Webhook webhook = webhook("/flaky");
        int[] calls = {0};
        receiver.answer(path -> ++calls[0] <= 3 ? new WebhookReceiver.Answer(500, Map.of(), "down") : WebhookReceiver.Answer.of(204));
        DeliveryJob job = DeliveryJob.of(account, webhook.id(), uploaded("/a.csv"));

        List<DeliveryJob> pending = List.of(job);
        for (int round = 0; round < 20 && !pending.isEmpty(); round++) {
            assertThat(dispatch(handler, pending.toArray(DeliveryJob[]::new)).getBatchItemFailures()).isEmpty();
            pending = queuedFor(webhook, Duration.ofSeconds(3));
        }

        List<WebhookReceiver.Received> got = receiver.drain();
        assertThat(got).hasSize(4).allSatisfy(r -> assertThat(r.header("webhook-id")).isEqualTo(job.eventId()));
        List<Delivery> log = logged(webhook);
        assertThat(log).extracting(Delivery::attempt).containsExactly(4, 3, 2, 1);
        assertThat(log).extracting(Delivery::responseStatus).containsExactly(204, 500, 500, 500);
        assertThat(log.get(1).responseBody()).isEqualTo("down");
        assertThat(log.get(1).nextAttemptAt()).isNotNull();
        assertThat(log.get(0).nextAttemptAt()).isNull();
        Webhook.Health health = webhooks.get(account, webhook.id()).health();
        assertThat(health.consecutiveFailures()).isZero();
        assertThat(health.pausedUntil()).isNull();
        assertThat(health.trustedAt(Instant.now())).isTrue();
    }

    @Test
    void theLastScheduledAttemptEndsTheRetries() throws Exception {
        Webhook webhook = webhook("/dead");
        receiver.answer(path -> WebhookReceiver.Answer.of(503));
        DeliveryJob last = DeliveryJob.of(account, webhook.id(), uploaded("/b.csv")).next(null).next(null).next(null)
                .next(null);

        dispatch(handler, last);

        assertThat(logged(webhook)).singleElement().satisfies(d -> {
            assertThat(d.attempt()).isEqualTo(5);
            assertThat(d.nextAttemptAt()).isNull();
        });
        assertThat(queuedFor(webhook, Duration.ofSeconds(1))).isEmpty();
    }

    @Test
    void goneDisablesTheWebhookAtOnce() throws Exception {
        Webhook webhook = webhook("/gone");
        receiver.answer(path -> WebhookReceiver.Answer.of(410));

        dispatch(handler, DeliveryJob.of(account, webhook.id(), uploaded("/c.csv")));

        Webhook after = webhooks.get(account, webhook.id());
        assertThat(after.active()).isFalse();
        assertThat(after.disabledReason()).isEqualTo("gone");
        assertThat(queuedFor(webhook, Duration.ofSeconds(1))).isEmpty();
        receiver.drain();
        dispatch(handler, DeliveryJob.of(account, webhook.id(), uploaded("/d.csv")));
        assertThat(receiver.next(Duration.ofMillis(300))).isNull(); // off: nothing more starts
    }

    @Test
    void redirectsAreNeverFollowed() throws Exception {
        Webhook webhook = webhook("/moved");
        receiver.answer(path -> path.equals("/moved")
                ? new WebhookReceiver.Answer(302, Map.of("Location", receiver.url("/elsewhere")), "")
                : WebhookReceiver.Answer.of(200));

        dispatch(handler, DeliveryJob.of(account, webhook.id(), uploaded("/e.csv")));

        assertThat(receiver.drain()).extracting(WebhookReceiver.Received::path).containsExactly("/moved");
        assertThat(logged(webhook)).singleElement().satisfies(d -> {
            assertThat(d.responseStatus()).isEqualTo(302);
            assertThat(d.error()).isEqualTo("redirect not followed");
            assertThat(d.succeeded()).isFalse();
        });
    }

    @Test
    void refusedAddressesAreFailedAttemptsWhenTheLocalSwitchIsOff() throws Exception {
        Webhook webhook = webhook("/private");
        WebhookDispatcherHandler onAws = handler(config.with(Config.WEBHOOK_ALLOW_PRIVATE_TARGETS, "false"));
        Webhook https = webhooks.update(account, webhook.id(), new WebhookRepository.Changes(
                receiver.url("/private").replace("http://127.0.0.1", "https://localhost"), null, null, null));

        dispatch(onAws, DeliveryJob.of(account, https.id(), uploaded("/f.csv")));

        assertThat(receiver.next(Duration.ofMillis(300))).isNull();
        assertThat(logged(webhook)).singleElement().satisfies(d -> {
            assertThat(d.error()).isEqualTo("refused address");
            assertThat(d.responseStatus()).isNull();
            assertThat(d.nextAttemptAt()).isNotNull();
        });
    }

    @Test
    void redeliveryGoesOutOnceEvenWhileOffAndLeavesTheFailureCountAlone() throws Exception {
        Webhook webhook = webhook("/redo");
        webhooks.recordFailure(webhook, null);
        webhooks.disable(webhook, Webhook.FAILING);
        Delivery earlier = new Delivery(RandomIds.newSortableId("dlv", System.currentTimeMillis()), webhook.id(),
                account, "evt_original00000000000", "file.deleted", 3, false, 500, null, 10, null, false, null,
                Instant.now(), "{\"id\":\"evt_original00000000000\"}");
        receiver.answer(path -> WebhookReceiver.Answer.of(500));

        dispatch(handler, DeliveryJob.redelivery(earlier));

        WebhookReceiver.Received got = receiver.next(Duration.ofSeconds(5));
        assertThat(got.header("webhook-id")).isEqualTo("evt_original00000000000");
        assertThat(got.bodyText()).isEqualTo("{\"id\":\"evt_original00000000000\"}");
        assertThat(logged(webhook)).singleElement().satisfies(d -> {
            assertThat(d.redelivery()).isTrue();
            assertThat(d.nextAttemptAt()).isNull();
        });
        assertThat(queuedFor(webhook, Duration.ofSeconds(1))).isEmpty();
        assertThat(webhooks.get(account, webhook.id()).health().consecutiveFailures()).isEqualTo(1);
    }

    @Test
    void afterARotationEveryDeliveryCarriesBothSignatures() throws Exception {
        Webhook webhook = webhook("/rotated");
        String old = webhook.signing().secret();
        String fresh = WebhookSignatures.newSecret();
        webhooks.rotateSecret(account, webhook.id(), fresh, Instant.now().plus(Duration.ofHours(1)));

        dispatch(handler, DeliveryJob.of(account, webhook.id(), uploaded("/g.csv")));

        WebhookReceiver.Received got = receiver.next(Duration.ofSeconds(5));
        assertThat(got.header("X-TrueFTP-Signature")).matches("t=\\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}");
        assertThat(got.header("webhook-signature").split(" ")).hasSize(2);
        for (String secret : List.of(old, fresh)) {
            assertThat(got.trueftpSignatureVerifies(secret)).as(secret).isTrue();
            assertThat(got.standardSignatureVerifies(secret)).as(secret).isTrue();
        }
    }

    @Test
    void aWebhookFailingThreeTimesInARowIsPausedAndItsJobsWaitWithoutSending() throws Exception {
        WebhookDispatcherHandler slowSchedule = handler(config.with(Config.WEBHOOK_RETRY_SCHEDULE, "30"));
        Webhook webhook = webhook("/failing");
        receiver.answer(path -> WebhookReceiver.Answer.of(500));
        for (int i = 0; i < 3; i++) {
            dispatch(slowSchedule, DeliveryJob.of(account, webhook.id(), uploaded("/h" + i + ".csv")));
        }
        assertThat(webhooks.get(account, webhook.id()).health().pausedUntil()).isAfter(Instant.now());
        receiver.drain();

        dispatch(slowSchedule, DeliveryJob.of(account, webhook.id(), uploaded("/i.csv")));

        assertThat(receiver.next(Duration.ofMillis(300))).isNull();
        assertThat(logged(webhook)).hasSize(3);
    }

    @Test
    void anUntrustedReceiverGetsOneAttemptAtATimeAndATrustedOneAllAtOnce() throws Exception {
        Webhook webhook = webhook("/new");
        Instant now = Instant.now();
        assertThat(webhooks.claimProbe(webhook, now, now.plusSeconds(20))).isTrue(); // another job's attempt is out
        DeliveryJob job = DeliveryJob.of(account, webhook.id(), uploaded("/n.csv"));

        dispatch(handler, job);

        assertThat(receiver.next(Duration.ofMillis(300))).isNull();
        DeliveryJob waiting = queuedFor(webhook, Duration.ofSeconds(3)).get(0);
        assertThat(waiting.waits()).isEqualTo(1);
        assertThat(waiting.attempt()).isEqualTo(1);
        assertThat(waiting.notBefore()).isBetween(now.plusMillis(900), now.plusSeconds(3));

        webhooks.recordSuccess(webhook, Instant.now().plusSeconds(120)); // that attempt succeeded
        dispatch(handler, waiting.notBefore(null, false), DeliveryJob.of(account, webhook.id(), uploaded("/o.csv")));

        assertThat(receiver.drain()).hasSize(2);
        assertThat(logged(webhook)).allSatisfy(d -> assertThat(d.succeeded()).isTrue()).hasSize(2);
    }

    @Test
    void twentyFailuresInARowOverTheDisablePeriodTurnTheWebhookOff() throws Exception {
        WebhookDispatcherHandler strict = handler(config.with(Config.WEBHOOK_DISABLE_AFTER_SECONDS, "0"));
        Webhook webhook = webhook("/hopeless");
        for (int i = 0; i < 19; i++) {
            webhooks.recordFailure(webhook, null);
        }
        receiver.answer(path -> WebhookReceiver.Answer.of(500));

        dispatch(strict, DeliveryJob.of(account, webhook.id(), uploaded("/j.csv")));

        Webhook after = webhooks.get(account, webhook.id());
        assertThat(after.active()).isFalse();
        assertThat(after.disabledReason()).isEqualTo("failing");
    }

    @Test
    void aDeletedWebhookGetsNothingMore() throws Exception {
        Webhook webhook = webhook("/deleted");
        webhooks.delete(account, webhook.id());

        dispatch(handler, DeliveryJob.of(account, webhook.id(), uploaded("/k.csv")));

        assertThat(receiver.next(Duration.ofMillis(300))).isNull();
        assertThat(logged(webhook)).isEmpty();
    }

    @Test
    void aJobThatCannotBeLoggedComesBackAndIsSentAgainWithTheSameWebhookId() throws Exception {
        Webhook webhook = webhook("/crash");
        webhooks.recordSuccess(webhook, Instant.now().plusSeconds(120)); // a receiver known to work: both go out
        DeliveryJob job = DeliveryJob.of(account, webhook.id(), uploaded("/l.csv"));
        WebhookDispatcherHandler broken = handler(config.with("WEBHOOK_DELIVERIES_TABLE", "no-such-table"));

        SQSBatchResponse crashed = dispatch(broken, job, DeliveryJob.of(account, webhook.id(), uploaded("/m.csv")));

        assertThat(crashed.getBatchItemFailures()).hasSize(2); // both stay in the queue
        dispatch(handler, job);
        List<String> ids = receiver.drain().stream().map(r -> r.header("webhook-id")).toList();
        assertThat(ids).filteredOn(job.eventId()::equals).hasSize(2);
        assertThat(logged(webhook)).singleElement().satisfies(d -> assertThat(d.succeeded()).isTrue());
    }

    @Test
    void aMessageThatIsNotAJobIsReportedAsFailedNotDropped() {
        SQSEvent event = SampleEvents.load("webhook-dispatcher/delivery-batch.json", SQSEvent.class);
        event.getRecords().get(0).setBody("{\"nonsense\":true}");

        SQSBatchResponse response = handler.handleRequest(event, new TestContext());

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(event.getRecords().get(0).getMessageId());
    }

    @Test
    void theSampleBatchIsAJobForAWebhookThatDoesNotExistAndIsDropped() {
        SQSEvent event = SampleEvents.load("webhook-dispatcher/delivery-batch.json", SQSEvent.class);

        assertThat(handler.handleRequest(event, new TestContext()).getBatchItemFailures()).isEmpty();
    }
}
