package com.trueftp.stack;

import com.trueftp.aws.QueueSpec;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.List;
import java.util.Map;

/**
 * Creates the stack's queues on an emulator (the local runtime, tests) from the same {@link QueueSpec}s the CDK
 * stack uses: each with its dead-letter queue and redrive policy.
 */
public final class QueueProvisioner {
    private QueueProvisioner() {
    }

    /** Creates each queue that does not exist yet; the URLs are the ones {@link LocalSettings} hands out. */
    public static void createQueues(SqsClient sqs, String endpoint, List<QueueSpec> queues) {
        for (QueueSpec queue : queues) {
            String dlqUrl = sqs.createQueue(c -> c.queueName(LocalSettings.queueName(queue.deadLetterId()))).queueUrl();
            String dlqArn = sqs.getQueueAttributes(g -> g.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            String url = sqs.createQueue(c -> c.queueName(LocalSettings.queueName(queue.id())).attributes(Map.of(
                    QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(queue.visibilityTimeout().toSeconds()),
                    QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn
                            + "\",\"maxReceiveCount\":\"" + queue.maxReceiveCount() + "\"}"))).queueUrl();
            String expected = LocalSettings.queueUrl(endpoint, queue.id());
            if (!url.equals(expected)) {
                throw new IllegalStateException("the SQS emulator named queue " + queue.id() + " " + url
                        + ", not " + expected);
            }
        }
    }
}
