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

import java.time.Duration;
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
 *
 * <p>A batch larger than one receive (SQS gives at most 10 messages per call) is gathered from the messages
 * waiting, for up to {@link #WINDOW}, as the mapping's batching window does; unlike the mapping, an empty
 * receive ends the gathering at once, so that a quiet queue's message is not held back.
 */
final class SqsEventSource implements AutoCloseable {
    /** SQS's most messages per receive. */
    static final int RECEIVE_MAX = 10;
    private static final Duration WINDOW = Duration.ofSeconds(1);
    private static final int WAIT_SECONDS = 1;
    private static final int POLLERS = 3;

    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final LambdaFunction function;
    private final int batchSize;
    private final RequestHandler<SQSEvent, SQSBatchResponse> handler;
    private final LogLevel logLevel;
    private final ExecutorService pollers;
    private final ExecutorService instances;
    private final Semaphore idleInstances;
    private volatile boolean running = true;

    @SuppressWarnings("unchecked")
    SqsEventSource(SqsClient sqs, String queueUrl, LambdaFunction function, int batchSize, int maxConcurrency,
                   LogLevel logLevel) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.queueArn = sqs.getQueueAttributes(g -> g.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        this.function = function;
        this.batchSize = batchSize;
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
                List<Message> messages = gather();
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

    private List<Message> gather() {
        List<Message> messages = new ArrayList<>(receive(WAIT_SECONDS));
        long until = System.nanoTime() + WINDOW.toNanos();
        while (!messages.isEmpty() && messages.size() < batchSize && System.nanoTime() < until) {
            List<Message> more = receive(0);
            if (more.isEmpty()) {
                break;
            }
            messages.addAll(more);
        }
        return messages;
    }

    private List<Message> receive(int waitSeconds) {
        int most = Math.min(RECEIVE_MAX, batchSize);
        return sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(most).waitTimeSeconds(waitSeconds)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
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
            for (int from = 0; from < done.size(); from += RECEIVE_MAX) { // at most 10 per call
                List<DeleteMessageBatchRequestEntry> some = done.subList(from, Math.min(done.size(), from + RECEIVE_MAX));
                sqs.deleteMessageBatch(d -> d.queueUrl(queueUrl).entries(some));
            }
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
