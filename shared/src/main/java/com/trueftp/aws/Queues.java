package com.trueftp.aws;

import java.time.Duration;
import java.util.List;

/** Every queue of the stack. */
public final class Queues {
    private Queues() {
    }

    /**
     * One message per webhook and event still to be delivered, re-sent with a delay for each retry. The
     * dispatcher's timeout is 60 s; a message it could not handle is tried five times, then kept in the DLQ.
     */
    public static final QueueSpec WEBHOOK_DELIVERIES = new QueueSpec("webhook-deliveries",
            "WEBHOOK_DELIVERIES_QUEUE_URL", Duration.ofMinutes(6), 5);

    /**
     * S3's notifications of every change to the files bucket, for the file-activity function (timeout 60 s);
     * a message it could not record is tried five times, then kept in the DLQ.
     */
    public static final QueueSpec FILE_CHANGES = new QueueSpec("file-changes", "FILE_CHANGES_QUEUE_URL",
            Duration.ofMinutes(6), 5);

    public static final List<QueueSpec> ALL = List.of(WEBHOOK_DELIVERIES, FILE_CHANGES);
}
