package com.trueftp.functions.webhookdispatcher;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.trueftp.core.Config;
import com.trueftp.webhooks.DeliveryJob;
import com.trueftp.webhooks.WebhookDispatcher;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The webhook dispatcher function: a batch of queued deliveries in, each attempted at once and side by side (a
 * slow receiver in the batch does not hold up the others' deliveries). A message that could not be handled is
 * reported as a batch item failure: SQS hands it out again, and after five tries keeps it in the dead-letter
 * queue. Nothing is dropped silently.
 */
public class WebhookDispatcherHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    /** The largest batch the event source mapping hands over. */
    static final int BATCH = 10;
    private final WebhookDispatcher dispatcher;
    private final ExecutorService senders = Executors.newFixedThreadPool(BATCH, r -> {
        Thread thread = new Thread(r, "webhook-sender");
        thread.setDaemon(true);
        return thread;
    });

    /** Lambda's entry: wiring happens once, at cold start. */
    public WebhookDispatcherHandler() {
        this(DaggerWebhookDispatcherComponent.factory().create(Config.fromEnvironment()));
    }

    /** Tests wire the function against emulators through the same component. */
    WebhookDispatcherHandler(WebhookDispatcherComponent component) {
        this.dispatcher = component.dispatcher();
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<CompletableFuture<String>> outcomes = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            outcomes.add(CompletableFuture.supplyAsync(() -> handle(message, context), senders));
        }
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (CompletableFuture<String> outcome : outcomes) {
            String failedId = outcome.join();
            if (failedId != null) {
                failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(failedId).build());
            }
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    /** @return the message's id if it must come back, null when it is done */
    private String handle(SQSEvent.SQSMessage message, Context context) {
        try {
            dispatcher.dispatch(DeliveryJob.fromJson(message.getBody()));
            return null;
        } catch (RuntimeException e) {
            // The job names no secret; the error says which call failed.
            context.getLogger().log("delivery job " + message.getMessageId() + " failed: " + e);
            return message.getMessageId();
        }
    }
}
