package com.trueftp.functions.fileactivity;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.trueftp.core.Config;
import com.trueftp.files.FileActivity;
import com.trueftp.files.FileChange;
import com.trueftp.files.S3ChangeNotices;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The file-activity function: S3's notifications of the files bucket, from their queue, become events and
 * storage counts. A batch is recorded together (one allocation of event numbers per account), tried again after
 * short pauses if that fails; then each message is recorded on its own while time is left, and those that still
 * fail are reported as batch item failures: SQS hands them out again, and after five tries keeps them in the
 * dead-letter queue. Recording twice is harmless: a change recorded once is never recorded again.
 */
public class FileActivityHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    /**
     * A failed batch is tried again after these pauses: a dependency out for a few seconds delays the changes
     * by seconds, not by the queue's visibility timeout (6 minutes).
     */
    private static final long[] PAUSES_MILLIS = {1_000, 2_000, 4_000};
    /** Time kept for the last attempt (a call's timeouts) before the function's own timeout. */
    private static final long KEEP_MILLIS = 15_000;
    private final FileActivity activity;

    /** Lambda's entry: wiring happens once, at cold start. */
    public FileActivityHandler() {
        this(DaggerFileActivityComponent.factory().create(Config.fromEnvironment()));
    }

    /** Tests wire the function against emulators through the same component. */
    FileActivityHandler(FileActivityComponent component) {
        this.activity = component.activity();
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        Map<String, List<FileChange>> byMessage = new LinkedHashMap<>();
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            try {
                byMessage.put(message.getMessageId(), S3ChangeNotices.parse(message.getBody()));
            } catch (RuntimeException unreadable) {
                context.getLogger().log("message " + message.getMessageId() + " is no S3 notification: " + unreadable);
                failures.add(failure(message.getMessageId()));
            }
        }
        List<FileChange> all = byMessage.values().stream().flatMap(List::stream).toList();
        for (long pause : PAUSES_MILLIS) {
            try {
                activity.record(all);
                return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
            } catch (RuntimeException batchFailed) {
                context.getLogger().log("recording a batch of " + byMessage.size() + " failed: " + batchFailed);
                if (context.getRemainingTimeInMillis() < pause + KEEP_MILLIS) {
                    break;
                }
                sleep(pause);
            }
        }
        byMessage.forEach((messageId, changes) -> {
            if (context.getRemainingTimeInMillis() < KEEP_MILLIS) {
                failures.add(failure(messageId)); // no time left for it: it comes back
                return;
            }
            try {
                activity.record(changes);
            } catch (RuntimeException e) {
                context.getLogger().log("message " + messageId + " failed: " + e);
                failures.add(failure(messageId));
            }
        });
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static SQSBatchResponse.BatchItemFailure failure(String messageId) {
        return SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(messageId).build();
    }
}
