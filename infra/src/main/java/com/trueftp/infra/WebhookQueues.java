package com.trueftp.infra;

import com.trueftp.aws.QueueSpec;
import com.trueftp.aws.Queues;
import com.trueftp.stack.StackOutputs;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;

/**
 * The queues of webhook deliveries: the deliveries queue (from {@link Queues}) with its dead-letter queue, and
 * the dead-letter queue of stream batches the fan-out could not handle. Messages are kept the longest SQS
 * allows, 14 days, so that an operator has time to look and redrive.
 */
final class WebhookQueues {
    private static final Duration KEPT = Duration.days(14);

    private final Queue deliveries;
    private final Queue deliveriesDeadLetters;
    private final Queue fanOutFailures;

    /** Builds into the stack's own scope: see {@link TrueFtpStack}. */
    WebhookQueues(Stack stack) {
        String name = StackOutputs.pascal(Queues.WEBHOOK_DELIVERIES.id());
        this.deliveriesDeadLetters = Queue.Builder.create(stack, name + "DeadLetters")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(KEPT)
                .build();
        this.deliveries = create(stack, Queues.WEBHOOK_DELIVERIES, deliveriesDeadLetters);
        this.fanOutFailures = Queue.Builder.create(stack, "WebhookFanOutFailures")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(KEPT)
                .build();
    }

    Queue deliveries() {
        return deliveries;
    }

    Queue deliveriesDeadLetters() {
        return deliveriesDeadLetters;
    }

    Queue fanOutFailures() {
        return fanOutFailures;
    }

    private static Queue create(Stack stack, QueueSpec spec, Queue deadLetters) {
        String name = StackOutputs.pascal(spec.id());
        return Queue.Builder.create(stack, name + "Queue")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(KEPT)
                .visibilityTimeout(Duration.seconds(spec.visibilityTimeout().toSeconds()))
                .deadLetterQueue(DeadLetterQueue.builder().queue(deadLetters).maxReceiveCount(spec.maxReceiveCount()).build())
                .build();
    }
}
