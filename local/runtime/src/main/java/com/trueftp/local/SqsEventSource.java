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
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * What Lambda's SQS event source mapping does, for one queue and function: pollers that long-poll for batches,
 * hand each to the handler as an {@link SQSEvent}, and delete the messages it did not report as failed. A failed
 * message comes back after its visibility timeout; after the queue's maximum receives SQS moves it to the
 * dead-letter queue. Up to {@code maxConcurrency} batches are handled at once, each as by its own Lambda
 * instance (the mapping's maximum concurrency); a slow batch holds its instance, never the pollers.
 */
final class SqsEventSource implements AutoCloseable {
    static final int BATCH = 10;
    private static final int WAIT_SECONDS = 1;
    private static final int POLLERS = 3;

    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final LambdaFunction function;
    private final RequestHandler<SQSEvent, SQSBatchResponse> handler;
    private final LogLevel logLevel;
    private final ExecutorService pollers;
    private final ExecutorService instances;
    private final Semaphore idleInstances;
    private volatile boolean running = true;

    @SuppressWarnings("unchecked")
    SqsEventSource(SqsClient sqs, String queueUrl, LambdaFunction function, int maxConcurrency, LogLevel logLevel) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.queueArn = sqs.getQueueAttributes(g -> g.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        this.function = function;
        this.handler = (RequestHandler<SQSEvent, SQSBatchResponse>) LambdaHandlers.create(function);
        this.logLevel = logLevel;
        this.idleInstances = new Semaphore(maxConcurrency);
        this.instances = Executors.newFixedThreadPool(maxConcurrency, daemon(function.id() + "-instance"));
        this.pollers = Executors.newFixedThreadPool(POLLERS, daemon(function.id() + "-poller"));
        for (int i = 0; i < POLLERS; i++) {
            pollers.execute(this::poll);
        }
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Receives a batch only when an instance is free to take it, as Lambda's pollers do. */
    private void poll() {
        while (running) {
            boolean handedOver = false;
            try {
                idleInstances.acquire();
                List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(BATCH)
                        .waitTimeSeconds(WAIT_SECONDS).messageSystemAttributeNames(MessageSystemAttributeName.ALL))
                        .messages();
                if (!messages.isEmpty()) {
                    instances.execute(() -> {
                        try {
                            invoke(messages);
                        } finally {
                            idleInstances.release();
                        }
                    });
                    handedOver = true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (running) {
                    System.err.println(function.id() + " event source: " + e.getMessage());
                    pause();
                }
            } finally {
                if (!handedOver) {
                    idleInstances.release();
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
        pollers.shutdownNow();
        instances.shutdown();
        try {
            if (!instances.awaitTermination(WAIT_SECONDS + 1, TimeUnit.SECONDS)) { // a message cut short comes back
                instances.shutdownNow();
            }
            pollers.awaitTermination(WAIT_SECONDS + 1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sqs.close();
    }
}
