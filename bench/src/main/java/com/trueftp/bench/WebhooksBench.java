package com.trueftp.bench;

import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.trueftp.account.Plan;
import com.trueftp.aws.AwsModule;
import com.trueftp.aws.Queues;
import com.trueftp.aws.SqsModule;
import com.trueftp.core.Config;
import com.trueftp.core.Json;
import com.trueftp.events.Event;
import com.trueftp.events.EventLog;
import com.trueftp.events.EventSource;
import com.trueftp.events.EventType;
import com.trueftp.local.LocalRuntime;
import com.trueftp.testing.TestGraph;
import com.trueftp.testing.WebhookReceiver;
import com.trueftp.webhooks.DeliveryJob;
import com.trueftp.webhooks.DeliveryLog;
import com.trueftp.webhooks.DeliveryQueue;
import com.trueftp.webhooks.RetrySchedule;
import com.trueftp.webhooks.WebhookDispatcher;
import com.trueftp.webhooks.WebhookFanOut;
import com.trueftp.webhooks.WebhookRepository;
import com.trueftp.webhooks.WebhookSender;
import com.trueftp.webhooks.WebhookSignatures;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * (i) Webhooks: {@value #EVENTS} events of one account to three webhooks, one of whose receivers never answers,
 * through the whole local path (events table → stream source → fan-out → deliveries queue → dispatchers →
 * receivers on 127.0.0.1): the time from each change to its delivery at the two healthy receivers, p50/p99,
 * with the hanging receiver and without it. Then the AWS calls a delivery costs, counted on the fan-out and the
 * dispatcher wired with counting clients.
 */
final class WebhooksBench {
    static final int EVENTS = 1000;
    private static final int WARM_UP = 300;
    private static final int COUNTED_EVENTS = 100;

    Map<String, Object> run() throws Exception {
        System.out.printf("(i) Webhooks: %d events of one account to three webhooks (two healthy receivers, one that "
                + "never answers), change to delivery at the healthy ones, on the local runtime%n", EVENTS);
        Map<String, Object> json = new LinkedHashMap<>();
        LocalRuntime runtime = LocalRuntime.start(0, null, Config.DEFAULT_AUTH_CACHE_TTL, LogLevel.WARN);
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            receiver.answer(path -> path.equals("/hang") ? null : WebhookReceiver.Answer.of(200));
            TestGraph graph = TestGraph.of(runtime.aws().config());
            measure(graph, receiver, false, WARM_UP); // JIT and connections warm before either measured run
            json.put("without_hanging", measure(graph, receiver, false, EVENTS));
            json.put("with_hanging", measure(graph, receiver, true, EVENTS));
            json.put("calls_per_delivery", countCalls(runtime.aws().config(), graph, receiver));
        } finally {
            runtime.close();
            runtime.aws().settings().keySet().forEach(System::clearProperty); // LocalRuntime set them for the handlers
        }
        return json;
    }

    private static Map<String, Object> measure(TestGraph graph, WebhookReceiver receiver, boolean hanging, int events)
            throws Exception {
        String account = graph.accounts().create("bench-webhooks", Plan.BUSINESS).id();
        for (String path : hanging ? List.of("/a", "/b", "/hang") : List.of("/a", "/b")) {
            graph.webhooks().create(account, new WebhookRepository.NewWebhook(receiver.url(path), List.of("*"), null,
                    true), WebhookSignatures.newSecret(), 20);
        }
        receiver.drain();
        EventLog log = graph.events();
        long began = System.nanoTime();
        for (int i = 0; i < events; i++) {
            log.append(account, new Event.Draft(EventType.FILE_UPLOADED, "ftp_bench", "bench", "/in/" + i + ".csv",
                    1L), EventLog.AccountChange.NONE, List.of());
        }
        double appendSeconds = (System.nanoTime() - began) / 1e9;
        List<Long> latencies = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (latencies.size() < 2 * events && System.nanoTime() < deadline) {
            WebhookReceiver.Received got = receiver.next(Duration.ofSeconds(1));
            if (got != null && !got.path().equals("/hang")) {
                Instant changed = Instant.parse((String) Json.readObject(got.bodyText()).get("timestamp"));
                latencies.add(Duration.between(changed, Instant.ofEpochMilli(got.receivedAtMillis())).toNanos());
            }
        }
        if (latencies.size() < 2 * events) {
            throw new IllegalStateException("only " + latencies.size() + " of " + 2 * events + " deliveries arrived");
        }
        Timings timings = Timings.of(latencies);
        if (events == EVENTS) {
            System.out.printf("    %s the hanging receiver: %d events appended in %.1f s (%.0f/s); change to delivery "
                    + "%s%n", hanging ? "with   " : "without", events, appendSeconds, events / appendSeconds, timings);
        }
        Map<String, Object> json = new LinkedHashMap<>(timings.json());
        json.put("events_per_second", Math.round(events / appendSeconds));
        return json;
    }

    /**
     * Fans out {@value #COUNTED_EVENTS} events to two webhooks and dispatches every job, on a queue of the
     * benchmark's own and with DynamoDB and SQS clients that count their calls; receiving and deleting the jobs
     * (what Lambda's poller does, ten at a time) counts as SQS calls too.
     */
    private static Map<String, Object> countCalls(Config config, TestGraph graph, WebhookReceiver receiver)
            throws Exception {
        Counter dynamoCalls = new Counter();
        Counter sqsCalls = new Counter();
        String account = graph.accounts().create("bench-calls", Plan.BUSINESS).id();
        for (String path : List.of("/a", "/b")) {
            graph.webhooks().create(account, new WebhookRepository.NewWebhook(receiver.url(path), List.of("*"), null,
                    true), WebhookSignatures.newSecret(), 20);
        }
        List<WebhookFanOut.AccountEvent> events = new ArrayList<>();
        for (int i = 0; i < COUNTED_EVENTS; i++) {
            events.add(new WebhookFanOut.AccountEvent(account, new Event("evt_bench" + i, i + 1,
                    EventType.FILE_UPLOADED, "ftp_bench", "bench", "/c/" + i, 1L, EventSource.API, Instant.now().plusSeconds(1))));
        }
        // A queue of the benchmark's own, so that the runtime's dispatchers do not take the counted jobs.
        String scratch = graph.sqs().createQueue(c -> c.queueName("bench-calls-" + System.nanoTime())).queueUrl();
        Config counted = config.with(Queues.WEBHOOK_DELIVERIES.urlVariable(), scratch);
        try (DynamoDbClient dynamo = AwsModule.dynamoDbBuilder(counted).overrideConfiguration(
                AwsModule.overrides().toBuilder().addExecutionInterceptor(dynamoCalls).build()).build();
             SqsClient sqs = SqsModule.sqsBuilder(counted).overrideConfiguration(
                     AwsModule.overrides().toBuilder().addExecutionInterceptor(sqsCalls).build()).build();
             WebhookSender sender = new WebhookSender(true)) {
            WebhookRepository webhooks = new WebhookRepository(dynamo, counted, Clock.systemUTC());
            DeliveryQueue queue = new DeliveryQueue(sqs, counted);
            WebhookDispatcher dispatcher = new WebhookDispatcher(webhooks, new DeliveryLog(dynamo, counted), queue,
                    sender, new RetrySchedule(counted), Clock.systemUTC(), counted);
            int deliveries = 2 * COUNTED_EVENTS;
            new WebhookFanOut(webhooks, queue).fanOut(events);
            int dispatched = 0;
            while (dispatched < deliveries) {
                var messages = sqs.receiveMessage(r -> r.queueUrl(scratch).maxNumberOfMessages(10).waitTimeSeconds(1))
                        .messages();
                for (var message : messages) {
                    if (dispatcher.dispatch(DeliveryJob.fromJson(message.body())) != WebhookDispatcher.Result.DELIVERED) {
                        throw new IllegalStateException("a counted delivery failed");
                    }
                }
                if (!messages.isEmpty()) {
                    sqs.deleteMessageBatch(d -> d.queueUrl(scratch).entries(messages.stream().map(m ->
                            DeleteMessageBatchRequestEntry.builder().id(m.messageId())
                                    .receiptHandle(m.receiptHandle()).build()).toList()));
                }
                dispatched += messages.size();
            }
            double dynamoPerDelivery = dynamoCalls.value() / (double) deliveries;
            double sqsPerDelivery = sqsCalls.value() / (double) deliveries;
            System.out.printf("    AWS calls per delivery (%d events to two healthy webhooks, fan-out, poller and "
                    + "dispatcher): DynamoDB %.2f, SQS %.2f%n", COUNTED_EVENTS, dynamoPerDelivery, sqsPerDelivery);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("dynamodb", Timings.round(dynamoPerDelivery, 2));
            json.put("sqs", Timings.round(sqsPerDelivery, 2));
            return json;
        } finally {
            graph.sqs().deleteQueue(d -> d.queueUrl(scratch));
        }
    }

    /** Counts the calls a client makes, whatever their answer. */
    private static final class Counter implements ExecutionInterceptor {
        private final AtomicLong calls = new AtomicLong();

        long value() {
            return calls.get();
        }

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            calls.incrementAndGet();
        }
    }
}
