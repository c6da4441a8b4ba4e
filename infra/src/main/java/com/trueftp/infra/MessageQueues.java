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
 * The stack's queues: webhook deliveries (from {@link Queues}) with their dead-letter queue, the dead-letter
 * queue of stream batches the fan-out could not handle, and S3's notifications of the files bucket with their
 * dead-letter queue. Messages are kept the longest SQS allows, 14 days, so that an operator has time to look
 * and redrive.
 */
final class MessageQueues {
    private static final Duration KEPT = Duration.days(14);

    private final Queue deliveries;
    private final Queue deliveriesDeadLetters;
    private final Queue fanOutFailures;
    private final Queue fileChanges;
    private final Queue fileChangesDeadLetters;

    /** Builds into the stack's own scope: see {@link TrueFtpStack}. */
    MessageQueues(Stack stack) {
        String name = StackOutputs.pascal(Queues.WEBHOOK_DELIVERIES.id());
        this.deliveriesDeadLetters = deadLetters(stack, name + "DeadLetters");
        this.deliveries = create(stack, Queues.WEBHOOK_DELIVERIES, deliveriesDeadLetters);
        this.fanOutFailures = deadLetters(stack, "WebhookFanOutFailures");
        // SQS-managed encryption: S3 can send to it (a queue under the AWS-managed SQS key it could not).
        this.fileChangesDeadLetters = deadLetters(stack, StackOutputs.pascal(Queues.FILE_CHANGES.id()) + "DeadLetters");
        this.fileChanges = create(stack, Queues.FILE_CHANGES, fileChangesDeadLetters);
    }

    Queue fileChanges() {
        return fileChanges;
    }

    Queue fileChangesDeadLetters() {
        return fileChangesDeadLetters;
    }

    private static Queue deadLetters(Stack stack, String id) {
        return Queue.Builder.create(stack, id)
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
