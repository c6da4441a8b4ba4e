package com.trueftp.infra;

import com.trueftp.stack.LambdaFunction;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.sqs.Queue;


/**
 * What says work may be stuck: a message in a dead-letter queue (a webhook job the dispatcher could not handle
 * five times, a stream batch the fan-out gave up on, an S3 notification the file-activity function could not
 * record five times), and the fan-out falling behind the events stream (records are kept 24 h). The alarms
 * have no action yet: the production-readiness work routes every alarm to one topic.
 */
final class StackAlarms {
    /** The fan-out is behind the newest event by more than this. */
    static final Duration ITERATOR_AGE = Duration.minutes(5);

    /** Builds into the stack's own scope: see {@link TrueFtpStack}. */
    StackAlarms(Stack stack, MessageQueues queues, Functions functions) {
        // One by one, not from a Map.of: its order changes between JVMs, and the template must not.
        deadLetterAlarm(stack, "WebhookDeliveriesDeadLettersAlarm", queues.deliveriesDeadLetters());
        deadLetterAlarm(stack, "WebhookFanOutFailuresAlarm", queues.fanOutFailures());
        deadLetterAlarm(stack, "FileChangesDeadLettersAlarm", queues.fileChangesDeadLetters());
        Alarm.Builder.create(stack, "WebhookFanOutIteratorAgeAlarm")
                .alarmDescription("The webhook fan-out is more than 5 minutes behind the events stream")
                .metric(functions.get(LambdaFunction.WEBHOOK_FANOUT).metric("IteratorAge", MetricOptions.builder()
                        .period(Duration.minutes(1)).statistic("Maximum").build()))
                .threshold(ITERATOR_AGE.toMilliseconds())
                .evaluationPeriods(3)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
    }

    private static void deadLetterAlarm(Stack stack, String id, Queue queue) {
        Alarm.Builder.create(stack, id)
                .alarmDescription("Work gave up and waits in " + queue.getNode().getId()
                        + ": look at it and redrive it (docs/ARCHITECTURE.md)")
                .metric(queue.metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                        .period(Duration.minutes(1)).statistic("Maximum").build()))
                .threshold(1)
                .evaluationPeriods(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
    }
}
