package com.trueftp.webhooks;

import com.trueftp.aws.Queues;
import com.trueftp.core.Config;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import javax.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The deliveries queue: one message per webhook and event. Each message's group is its webhook, so that SQS's
 * fair queueing keeps one noisy or dead receiver from starving the others.
 */
public class DeliveryQueue {
    /** SQS delays a message at most this long; a later retry carries its time in the message. */
    public static final Duration MAX_DELAY = Duration.ofMinutes(15);
    private static final int BATCH = 10;

    private final SqsClient sqs;
    private final String url;

    @Inject
    public DeliveryQueue(SqsClient sqs, Config config) {
        this.sqs = sqs;
        this.url = config.require(Queues.WEBHOOK_DELIVERIES.urlVariable());
    }

    /** Queues the jobs for now, ten to a call. @throws IllegalStateException if SQS refused some */
    public void send(List<DeliveryJob> jobs) {
        for (int from = 0; from < jobs.size(); from += BATCH) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            List<DeliveryJob> batch = jobs.subList(from, Math.min(from + BATCH, jobs.size()));
            for (int i = 0; i < batch.size(); i++) {
                entries.add(entry(Integer.toString(i), batch.get(i), Duration.ZERO));
            }
            List<BatchResultErrorEntry> failed = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries)).failed();
            if (!failed.isEmpty()) {
                throw new IllegalStateException("SQS refused " + failed.size() + " of " + entries.size() + " messages: "
                        + failed.stream().map(BatchResultErrorEntry::code).distinct().collect(Collectors.joining(", ")));
            }
        }
    }

    /** Queues the job to be received after {@code delay} (at most {@link #MAX_DELAY}). */
    public void sendLater(DeliveryJob job, Duration delay) {
        SendMessageBatchRequestEntry entry = entry("0", job, delay);
        sqs.sendMessage(m -> m.queueUrl(url).messageBody(entry.messageBody()).delaySeconds(entry.delaySeconds())
                .messageGroupId(entry.messageGroupId()));
    }

    private static SendMessageBatchRequestEntry entry(String id, DeliveryJob job, Duration delay) {
        long seconds = Math.min(Math.max(0, (delay.toMillis() + 999) / 1000), MAX_DELAY.toSeconds());
        return SendMessageBatchRequestEntry.builder().id(id).messageBody(job.toJson())
                .delaySeconds((int) seconds).messageGroupId(job.webhookId()).build();
    }
}
