package com.trueftp.emulators;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the project relies on from SQS, through the AWS SDK, against ElasticMQ. */
class ElasticMqIT {
    private static ElasticMq elasticMq;
    private static SqsClient sqs;

    @BeforeAll
    static void start() throws IOException {
        elasticMq = ElasticMq.start();
        sqs = SqsClient.builder().endpointOverride(URI.create(elasticMq.endpoint())).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }

    @AfterAll
    static void stop() {
        if (sqs != null) {
            sqs.close();
        }
        if (elasticMq != null) {
            elasticMq.close();
        }
    }

    @Test
    void queueUrlsNameTheEndpointTheClientReaches() {
        String url = sqs.createQueue(b -> b.queueName("urls")).queueUrl();

        assertThat(url).isEqualTo(elasticMq.endpoint() + "/000000000000/urls");
        assertThat(sqs.getQueueUrl(b -> b.queueName("urls")).queueUrl()).isEqualTo(url);
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("reached"));
        assertThat(sqs.receiveMessage(b -> b.queueUrl(url)).messages()).extracting(Message::body).containsExactly("reached");
    }

    @Test
    void aMessageReceivedThreeTimesWithoutDeletionMovesToTheDeadLetterQueue() {
        String dlq = sqs.createQueue(b -> b.queueName("redrive-dlq")).queueUrl();
        String dlqArn = arn(dlq);
        assertThat(dlqArn).isEqualTo("arn:aws:sqs:us-east-1:000000000000:redrive-dlq");
        String queue = sqs.createQueue(b -> b.queueName("redrive").attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, "1",
                QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"3\"}"))).queueUrl();
        assertThat(arn(queue)).isEqualTo("arn:aws:sqs:us-east-1:000000000000:redrive");
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(queue)
                .attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT, QueueAttributeName.REDRIVE_POLICY)).attributes();
        assertThat(attributes.get(QueueAttributeName.VISIBILITY_TIMEOUT)).isEqualTo("1");
        assertThat(attributes.get(QueueAttributeName.REDRIVE_POLICY)).contains(dlqArn).contains("3");

        sqs.sendMessage(b -> b.queueUrl(queue).messageBody("poison"));
        assertThat(sqs.receiveMessage(b -> b.queueUrl(queue)).messages()).hasSize(1); // 1st receive
        assertThat(sqs.receiveMessage(b -> b.queueUrl(queue)).messages()).as("hidden for the visibility timeout")
                .isEmpty();
        assertThat(sqs.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(3).visibilityTimeout(0)).messages())
                .as("back after the visibility timeout (~1 s)").hasSize(1); // 2nd, visible again at once
        assertThat(sqs.receiveMessage(b -> b.queueUrl(queue).visibilityTimeout(0)).messages()).hasSize(1); // 3rd

        assertThat(sqs.receiveMessage(b -> b.queueUrl(queue)).messages()).as("moved out on the 4th receive").isEmpty();
        List<Message> dead = sqs.receiveMessage(b -> b.queueUrl(dlq)).messages();
        assertThat(dead).extracting(Message::body).containsExactly("poison");
    }

    @Test
    void delayedMessagesOfABatchAreNotReceivedBeforeTheirDelay() {
        String queue = sqs.createQueue(b -> b.queueName("delays")).queueUrl();
        List<SendMessageBatchRequestEntry> entries = IntStream.range(0, 10).mapToObj(i -> SendMessageBatchRequestEntry
                .builder().id("m" + i).messageBody((i < 3 ? "delayed-" : "now-") + i)
                .delaySeconds(i < 3 ? 2 : null).build()).toList();
        long sent = System.nanoTime();
        SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(queue).entries(entries));
        assertThat(response.successful()).hasSize(10);
        assertThat(response.failed()).isEmpty();

        Set<String> now = new HashSet<>();
        while (now.size() < 7 && millisSince(sent) < 1500) {
            sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10)).messages()
                    .forEach(m -> now.add(m.body()));
        }
        assertThat(millisSince(sent)).as("the undelayed ones came at once").isLessThan(1500);
        assertThat(now).allMatch(body -> body.startsWith("now-")).hasSize(7);

        List<String> delayed = new ArrayList<>();
        while (delayed.size() < 3 && millisSince(sent) < 6000) {
            List<Message> received = sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10)
                    .waitTimeSeconds(5)).messages();
            if (!received.isEmpty()) {
                assertThat(millisSince(sent)).as("not before their delay").isGreaterThanOrEqualTo(2000);
            }
            received.forEach(m -> delayed.add(m.body()));
        }
        assertThat(delayed).containsExactlyInAnyOrder("delayed-0", "delayed-1", "delayed-2");
        assertThat(millisSince(sent)).as("the long poll returned as they came").isLessThan(4000);
    }

    @Test
    void aLongPollReturnsAsSoonAsAMessageArrives() throws Exception {
        String queue = sqs.createQueue(b -> b.queueName("long-poll")).queueUrl();
        long start = System.nanoTime();
        CompletableFuture<List<Message>> poll = CompletableFuture.supplyAsync(
                () -> sqs.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(10)).messages());
        Thread.sleep(500);
        sqs.sendMessage(b -> b.queueUrl(queue).messageBody("arrived"));

        assertThat(poll.get(5, TimeUnit.SECONDS)).extracting(Message::body).containsExactly("arrived");
        assertThat(millisSince(start)).isBetween(450L, 3000L);
    }

    /**
     * Real SQS takes a MessageGroupId on a standard queue (fair queues, 2025). ElasticMQ 1.7.1 accepts it too,
     * checks its form (InvalidParameterValue when malformed) and gives it back as a message attribute, but
     * delivers as from any standard queue: a message of a group in flight does not hold back the next of that group
     * (no FIFO ordering, no fairness between groups to observe).
     */
    @Test
    void aStandardQueueAcceptsAMessageGroupIdAndIgnoresItForDelivery() {
        String queue = sqs.createQueue(b -> b.queueName("groups")).queueUrl();
        sqs.sendMessage(b -> b.queueUrl(queue).messageBody("single").messageGroupId("tenant-a"));
        SendMessageBatchResponse batch = sqs.sendMessageBatch(b -> b.queueUrl(queue).entries(
                SendMessageBatchRequestEntry.builder().id("1").messageBody("batched").messageGroupId("tenant-a").build(),
                SendMessageBatchRequestEntry.builder().id("2").messageBody("other").messageGroupId("tenant-b").build()));
        assertThat(batch.successful()).hasSize(2);
        assertThat(batch.failed()).isEmpty();

        List<Message> received = new ArrayList<>();
        for (int i = 0; i < 3; i++) { // one at a time, none deleted: each stays in flight
            received.addAll(sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(1)
                    .messageSystemAttributeNames(MessageSystemAttributeName.MESSAGE_GROUP_ID)).messages());
        }
        assertThat(received).extracting(Message::body).containsExactlyInAnyOrder("single", "batched", "other");
        assertThat(received).extracting(m -> m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID))
                .containsExactlyInAnyOrder("tenant-a", "tenant-a", "tenant-b");

        assertThatThrownBy(() -> sqs.sendMessage(b -> b.queueUrl(queue).messageBody("x").messageGroupId("no spaces")))
                .isInstanceOfSatisfying(SqsException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
                });
    }

    @Test
    void changeMessageVisibilityAndDeleteMessageBatchWork() {
        String queue = sqs.createQueue(b -> b.queueName("visibility")).queueUrl();
        sqs.sendMessageBatch(b -> b.queueUrl(queue).entries(IntStream.range(0, 3).mapToObj(i ->
                SendMessageBatchRequestEntry.builder().id("m" + i).messageBody("m" + i).build()).toList()));
        List<Message> first = receiveAll(queue, 3);
        assertThat(sqs.receiveMessage(b -> b.queueUrl(queue)).messages()).as("all in flight (30 s)").isEmpty();

        Message released = first.get(0);
        sqs.changeMessageVisibility(b -> b.queueUrl(queue).receiptHandle(released.receiptHandle()).visibilityTimeout(0));
        List<Message> again = sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10)).messages();
        assertThat(again).extracting(Message::messageId).containsExactly(released.messageId());

        List<Message> latest = List.of(again.get(0), first.get(1), first.get(2));
        DeleteMessageBatchResponse deleted = sqs.deleteMessageBatch(b -> b.queueUrl(queue).entries(
                latest.stream().map(m -> DeleteMessageBatchRequestEntry.builder().id(m.messageId()).receiptHandle(m.receiptHandle()).build()).toList()));
        assertThat(deleted.successful()).hasSize(3);
        assertThat(deleted.failed()).isEmpty();

        Map<QueueAttributeName, String> counts = sqs.getQueueAttributes(b -> b.queueUrl(queue).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        assertThat(counts).containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0")
                .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0");
    }

    private static List<Message> receiveAll(String queue, int count) {
        List<Message> received = new ArrayList<>();
        for (int i = 0; i < 10 && received.size() < count; i++) {
            received.addAll(sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10)).messages());
        }
        assertThat(received).hasSize(count);
        return received;
    }

    private static String arn(String queueUrl) {
        return sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    private static long millisSince(long nanoTime) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
    }
}
