package com.trueftp.aws;

import java.time.Duration;

/**
 * One SQS queue as the code needs it, with its dead-letter queue. The CDK stack and the local runtime both
 * build their queues from these.
 *
 * @param id                logical name (CDK construct id and the queue name on emulators)
 * @param urlVariable       the configuration variable that carries the queue's URL to functions
 * @param visibilityTimeout at least six times the consuming function's timeout
 * @param maxReceiveCount   receives before a message moves to the dead-letter queue
 */
public record QueueSpec(String id, String urlVariable, Duration visibilityTimeout, int maxReceiveCount) {
    /** The dead-letter queue's logical name. */
    public String deadLetterId() {
        return id + "-dlq";
    }
}
