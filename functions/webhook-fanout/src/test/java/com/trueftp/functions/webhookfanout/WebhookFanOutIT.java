package com.trueftp.functions.webhookfanout;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.trueftp.account.Plan;
import com.trueftp.aws.Queues;
import com.trueftp.core.Json;
import com.trueftp.testing.AwsUnderTest;
import com.trueftp.testing.SampleEvents;
import com.trueftp.testing.TestContext;
import com.trueftp.webhooks.DeliveryJob;
import com.trueftp.webhooks.Webhook;
import com.trueftp.webhooks.WebhookRepository;
import com.trueftp.webhooks.WebhookSignatures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** The fan-out function fed the events table's stream records, against the emulators (DynamoDB, SQS). */
class WebhookFanOutIT {
    private AwsUnderTest aws;
    private WebhookFanOutHandler handler;
    private WebhookRepository webhooks;
    private String account;

    @BeforeEach
    void setUp() {
        aws = AwsUnderTest.emulators();
        handler = new WebhookFanOutHandler(DaggerWebhookFanOutComponent.factory().create(aws.config()));
        webhooks = aws.graph().webhooks();
        account = aws.accounts().create("Acme", Plan.PRO).id();
    }

    private Webhook webhook(String accountId, List<String> events, boolean active) {
        return webhooks.create(accountId, new WebhookRepository.NewWebhook("https://hooks.example.com/" + events.get(0),
                events, null, active), WebhookSignatures.newSecret(), 20);
    }

    /** The sample stream batch (a file.uploaded event written now and a watermark update), for the account. */
    private DynamodbEvent sample(String accountId) {
        DynamodbEvent event = SampleEvents.load("webhook-fanout/events-stream.json", DynamodbEvent.class);
        for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
            record.getDynamodb().getNewImage().put("account_id", new AttributeValue().withS(accountId));
            record.getDynamodb().getKeys().put("account_id", new AttributeValue().withS(accountId));
        }
        event.getRecords().get(0).getDynamodb().getNewImage().put("created_at",
                new AttributeValue().withS(Json.timestamp(Instant.now().plusMillis(1))));
        return event;
    }

    @Test
    void aNewEventBecomesOneJobPerActiveWebhookThatWantsItsType() {
        Webhook uploads = webhook(account, List.of("file.uploaded"), true);
        Webhook everything = webhook(account, List.of("*"), true);
        webhook(account, List.of("file.deleted"), true);
        webhook(account, List.of("file.uploaded"), false);
        String other = aws.accounts().create("Other", Plan.PRO).id();
        webhook(other, List.of("*"), true);

        handler.handleRequest(sample(account), new TestContext());

        List<DeliveryJob> jobs = queuedFor(job -> Set.of(account, other).contains(job.accountId()), 2);
        assertThat(jobs).extracting(DeliveryJob::webhookId).containsExactlyInAnyOrder(uploads.id(), everything.id());
        assertThat(jobs).allSatisfy(job -> {
            assertThat(job.eventId()).isEqualTo("evt_SAMPLEEVENT000000000");
            assertThat(job.eventType()).isEqualTo("file.uploaded");
            assertThat(job.attempt()).isEqualTo(1);
            assertThat(job.kind()).isEqualTo(DeliveryJob.Kind.EVENT);
            assertThat(job.payload()).startsWith("{\"id\":\"evt_SAMPLEEVENT000000000\",\"type\":\"file.uploaded\","
                    + "\"timestamp\":\"");
        });
    }

    @Test
    void anEventFromBeforeAWebhookWasMadeIsNotSentToIt() {
        webhook(account, List.of("*"), true);
        DynamodbEvent older = sample(account);
        older.getRecords().get(0).getDynamodb().getNewImage().put("created_at",
                new AttributeValue().withS("2026-11-27T09:00:00.000Z"));

        handler.handleRequest(older, new TestContext());

        assertThat(queuedFor(job -> job.accountId().equals(account), 0)).isEmpty();
    }

    @Test
    void anAccountWithoutWebhooksQueuesNothing() {
        handler.handleRequest(sample(account), new TestContext());

        assertThat(queuedFor(job -> job.accountId().equals(account), 0)).isEmpty();
    }

    /** The queued jobs that match, waiting until {@code expected} arrived (or, expecting none, a second passed). */
    private List<DeliveryJob> queuedFor(Predicate<DeliveryJob> wanted, int expected) {
        String queue = aws.config().require(Queues.WEBHOOK_DELIVERIES.urlVariable());
        List<DeliveryJob> jobs = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(expected == 0 ? 1 : 10).toNanos();
        while (System.nanoTime() < deadline && (expected == 0 || jobs.size() < expected)) {
            for (var message : aws.graph().sqs().receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10)
                    .waitTimeSeconds(1)).messages()) {
                DeliveryJob job = DeliveryJob.fromJson(message.body());
                aws.graph().sqs().deleteMessage(d -> d.queueUrl(queue).receiptHandle(message.receiptHandle()));
                if (wanted.test(job)) {
                    jobs.add(job);
                }
            }
        }
        return jobs;
    }
}
