package com.trueftp.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.trueftp.stack.LambdaFunction;
import com.trueftp.stack.LocalSettings;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * What Lambda's SQS event source mapping does, for one queue and function: pollers that long-poll for batches,
 * hand each to the handler as an {@link SQSEvent}, and delete the messages it did not report as failed. A failed
 * message comes back after its visibility timeout; after the queue's maximum receives SQS moves it to the
 * dead-letter queue. Several pollers run at once, as Lambda runs several instances.
 */
final class SqsEventSource implements AutoCloseable {
    static final int BATCH = 10;
    private static final int WAIT_SECONDS = 1;

    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final LambdaFunction function;
    private final RequestHandler<SQSEvent, SQSBatchResponse> handler;
    private final LogLevel logLevel;
    private final ExecutorService pollers;
    private volatile boolean running = true;

    @SuppressWarnings("unchecked")
    SqsEventSource(SqsClient sqs, String queueUrl, LambdaFunction function, int concurrency, LogLevel logLevel) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.queueArn = sqs.getQueueAttributes(g -> g.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        this.function = function;
        this.handler = (RequestHandler<SQSEvent, SQSBatchResponse>) LambdaHandlers.create(function);
        this.logLevel = logLevel;
        this.pollers = Executors.newFixedThreadPool(concurrency, r -> {
            Thread thread = new Thread(r, function.id() + "-poller");
            thread.setDaemon(true);
            return thread;
        });
        for (int i = 0; i < concurrency; i++) {
            pollers.execute(this::poll);
        }
    }

    private void poll() {
        while (running) {
            try {
                List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(BATCH)
                        .waitTimeSeconds(WAIT_SECONDS).messageSystemAttributeNames(MessageSystemAttributeName.ALL))
                        .messages();
                if (!messages.isEmpty()) {
                    invoke(messages);
                }
            } catch (RuntimeException e) {
                if (running) {
                    System.err.println(function.id() + " event source: " + e.getMessage());
                    pause();
                }
            }
        }
    }

    private void invoke(List<Message> messages) {
        SQSEvent event = new SQSEvent();
        event.setRecords(messages.stream().map(this::record).toList());
        Set<String> failed;
        try {
            SQSBatchResponse response = handler.handleRequest(event, new LocalContext(function.id(), logLevel));
            failed = response == null || response.getBatchItemFailures() == null ? Set.of()
                    : response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                    .collect(Collectors.toSet());
        } catch (RuntimeException e) {
            System.err.println(function.id() + " failed a batch of " + messages.size() + ": " + e);
            return; // the whole batch comes back after its visibility timeout
        }
        List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
        for (Message message : messages) {
            if (!failed.contains(message.messageId())) {
                done.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(done.size()))
                        .receiptHandle(message.receiptHandle()).build());
            }
        }
        if (!done.isEmpty()) {
            sqs.deleteMessageBatch(d -> d.queueUrl(queueUrl).entries(done));
        }
    }

    private SQSEvent.SQSMessage record(Message message) {
        SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
        record.setMessageId(message.messageId());
        record.setReceiptHandle(message.receiptHandle());
        record.setBody(message.body());
        record.setMd5OfBody(message.md5OfBody());
        Map<String, String> attributes = new HashMap<>();
        message.attributes().forEach((name, value) -> attributes.put(name.toString(), value));
        record.setAttributes(attributes);
        record.setEventSource("aws:sqs");
        record.setEventSourceArn(queueArn);
        record.setAwsRegion(LocalSettings.REGION);
        return record;
    }

    private void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        pollers.shutdown();
        try {
            if (!pollers.awaitTermination(WAIT_SECONDS + 1, TimeUnit.SECONDS)) { // a message cut short comes back
                pollers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sqs.close();
    }
}
