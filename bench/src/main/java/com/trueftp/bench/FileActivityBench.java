package com.trueftp.bench;

import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.trueftp.account.Plan;
import com.trueftp.aws.Queues;
import com.trueftp.core.Config;
import com.trueftp.events.Event;
import com.trueftp.events.EventLog;
import com.trueftp.events.EventSource;
import com.trueftp.files.ChangeSources;
import com.trueftp.files.FileActivity;
import com.trueftp.files.FileRecords;
import com.trueftp.files.FileStore;
import com.trueftp.files.S3ChangeNotices;
import com.trueftp.files.StorageReservations;
import com.trueftp.ftpuser.FtpUser;
import com.trueftp.ftpuser.FtpUserRepository;
import com.trueftp.local.LocalAws;
import com.trueftp.local.LocalRuntime;
import com.trueftp.testing.TestGraph;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * (j) File activity: {@value #UPLOADS} presigned uploads of 1 KiB from {@value #CLIENTS} clients into one account,
 * through the whole local path (S3 front → S3's notification → file-changes queue → file-activity function →
 * events): p50/p99 from each PUT's answer to its event (the event's time, when it became visible in
 * {@code GET /events}), the account's sustained changes per second, nothing lost and numbering dense; locally
 * the S3 emulator's PUTs set that pace. Then what the recording alone sustains, and the DynamoDB calls a change
 * costs ({@link #drain}).
 */
final class FileActivityBench {
    static final int UPLOADS = 1000;
    static final int CLIENTS = 8;
    private static final int WARM_UP = 200;
    private static final int INSTANCES = 5;
    private static final int BATCH = 100;
    private static final byte[] ONE_KIB = new byte[1024];

    Map<String, Object> run() throws Exception {
        System.out.printf("(j) File activity: %d presigned uploads of 1 KiB from %d clients into one account, PUT "
                + "answered to event recorded, on the local runtime%n", UPLOADS, CLIENTS);
        Map<String, Object> json = new LinkedHashMap<>();
        LocalRuntime runtime = LocalRuntime.start(0, null, Config.DEFAULT_AUTH_CACHE_TTL, LogLevel.WARN);
        try {
            TestGraph graph = TestGraph.of(runtime.aws().config());
            measure(graph, WARM_UP); // JIT, connections and pollers warm before the measured run
            json.putAll(measure(graph, UPLOADS));
        } finally {
            runtime.close();
            runtime.aws().settings().keySet().forEach(System::clearProperty); // LocalRuntime set them for the handlers
        }
        json.putAll(drain());
        return json;
    }

    private static Map<String, Object> measure(TestGraph graph, int uploads) throws Exception {
        String account = graph.accounts().create("bench-file-activity", Plan.BUSINESS).id();
        FtpUser user = graph.ftpUsers().create(account, new FtpUserRepository.NewUser("partner", "$argon2id$bench",
                true, true, "/", null), 25);
        Map<String, Instant> answered = new ConcurrentHashMap<>();
        Instant began = Instant.now();
        put(graph.fileStore(), account + "/" + user.id() + "/in/", uploads, answered);
        double putSeconds = Duration.between(began, Instant.now()).toNanos() / 1e9;
        EventLog log = graph.events();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (log.page(account, 0, 1).total() < uploads + 1 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        List<Event> events = new ArrayList<>();
        for (int offset = 0; offset < uploads + 1; offset += 100) {
            events.addAll(log.page(account, offset, 100).events());
        }
        List<Long> latencies = new ArrayList<>();
        Instant last = began;
        for (Event event : events) {
            if (event.source() == EventSource.UPLOAD_URL) {
                Instant put = answered.get(event.path());
                latencies.add(Math.max(0, Duration.between(put, event.createdAt()).toNanos()));
                last = event.createdAt().isAfter(last) ? event.createdAt() : last;
            }
        }
        long distinct = events.stream().filter(e -> e.source() == EventSource.UPLOAD_URL).map(Event::path).distinct().count();
        boolean dense = events.stream().map(Event::seq).sorted().toList()
                .equals(java.util.stream.LongStream.rangeClosed(1, events.size()).boxed().toList());
        if (distinct != uploads || latencies.size() != uploads || !dense) {
            throw new IllegalStateException("recorded " + distinct + " of " + uploads + " uploads (" + latencies.size()
                    + " events), numbering dense: " + dense);
        }
        double seconds = Duration.between(began, last).toNanos() / 1e9;
        Timings timings = Timings.of(latencies);
        if (uploads == UPLOADS) {
            System.out.printf("    %d uploads (the S3 emulator answered %.0f PUTs/s), %d events, none lost, numbers "
                    + "dense; PUT answered to event %s; %.0f changes/s recorded (first PUT to last event, %.1f s)%n",
                    uploads, uploads / putSeconds, latencies.size(), timings, uploads / seconds, seconds);
        }
        Map<String, Object> json = new LinkedHashMap<>(timings.json());
        json.put("puts_per_second", Math.round(uploads / putSeconds));
        json.put("changes_per_second", Math.round(uploads / seconds));
        json.put("lost", 0);
        return json;
    }

    /** The uploads, presigned as the files function presigns them, PUT by {@value #CLIENTS} clients at once. */
    private static void put(FileStore store, String prefix, int uploads, Map<String, Instant> answered)
            throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                done.add(clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < uploads; i = next.getAndIncrement()) {
                        String name = "f" + i + ".bin";
                        FileStore.Upload url = store.presignPut(prefix + name, ONE_KIB.length, Duration.ofMinutes(15));
                        HttpResponse<Void> put = http.send(HttpRequest.newBuilder(url.url())
                                .PUT(HttpRequest.BodyPublishers.ofByteArray(ONE_KIB)).build(),
                                HttpResponse.BodyHandlers.discarding());
                        if (put.statusCode() != 200) {
                            throw new IllegalStateException("PUT answered " + put.statusCode());
                        }
                        answered.put("/in/" + name, Instant.now());
                    }
                    return null;
                }));
            }
            for (Future<?> client : done) {
                client.get();
            }
        } finally {
            clients.shutdown();
        }
    }

    /**
     * What one account's changes can be recorded at, apart from how fast the local S3 takes PUTs: {@value #UPLOADS}
     * presigned uploads on emulators of the benchmark's own, their notifications left waiting, then drained by
     * {@value #INSTANCES} instances side by side (the mapping's maximum concurrency), each taking up to
     * {@value #BATCH} messages at a time as the event source hands them over, recording with the function's domain
     * wired with a counting DynamoDB client.
     */
    private static Map<String, Object> drain() throws Exception {
        try (LocalAws aws = LocalAws.start(0, null)) {
            Config config = aws.config();
            TestGraph graph = TestGraph.of(config);
            String account = graph.accounts().create("bench-drain", Plan.BUSINESS).id();
            FtpUser user = graph.ftpUsers().create(account, new FtpUserRepository.NewUser("partner", "$argon2id$bench",
                    true, true, "/", null), 25);
            put(graph.fileStore(), account + "/" + user.id() + "/d/", UPLOADS, new ConcurrentHashMap<>());
            CallCounter counter = new CallCounter();
            String queue = config.require(Queues.FILE_CHANGES.urlVariable());
            AtomicInteger recorded = new AtomicInteger();
            long began;
            long took;
            try (DynamoDbClient dynamo = counter.dynamoDb(config)) {
                EventLog events = new EventLog(dynamo, config, Clock.systemUTC());
                FileActivity activity = new FileActivity(new FileRecords(dynamo, config, Clock.systemUTC()),
                        graph.fileStore(), events, new FtpUserRepository(dynamo, config, events, Clock.systemUTC()),
                        new StorageReservations(dynamo, events, config, Clock.systemUTC()), new ChangeSources(config),
                        dynamo, config);
                ExecutorService instances = Executors.newFixedThreadPool(INSTANCES);
                began = System.nanoTime();
                try {
                    List<Future<?>> done = new ArrayList<>();
                    for (int i = 0; i < INSTANCES; i++) {
                        done.add(instances.submit(() -> {
                            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                            while (recorded.get() < UPLOADS && System.nanoTime() < deadline) {
                                List<Message> batch = batch(graph, queue);
                                activity.record(batch.stream().flatMap(m -> S3ChangeNotices.parse(m.body()).stream())
                                        .toList());
                                delete(graph, queue, batch);
                                recorded.addAndGet(batch.size());
                            }
                            return null;
                        }));
                    }
                    for (Future<?> instance : done) {
                        instance.get();
                    }
                } finally {
                    instances.shutdown();
                }
                took = System.nanoTime() - began;
            }
            long total = graph.events().page(account, 0, 1).total();
            if (recorded.get() != UPLOADS || total != UPLOADS + 1) {
                throw new IllegalStateException("drained " + recorded.get() + " notifications into " + total + " events");
            }
            double seconds = took / 1e9;
            double perChange = counter.calls() / (double) UPLOADS;
            System.out.printf("    a waiting backlog of %d changes drained by %d instances, up to %d at a time: %.1f s, "
                    + "%.0f changes/s recorded; %.2f DynamoDB calls per change%n", UPLOADS, INSTANCES, BATCH, seconds,
                    UPLOADS / seconds, perChange);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("drain_changes_per_second", Math.round(UPLOADS / seconds));
            json.put("dynamodb_calls_per_change", Timings.round(perChange, 2));
            return json;
        }
    }

    /** What the event source does with a batch handled: deletes ten per call. */
    private static void delete(TestGraph graph, String queue, List<Message> batch) {
        for (int from = 0; from < batch.size(); from += 10) {
            List<Message> some = batch.subList(from, Math.min(batch.size(), from + 10));
            graph.sqs().deleteMessageBatch(d -> d.queueUrl(queue).entries(some.stream().map(m ->
                    DeleteMessageBatchRequestEntry.builder().id(m.messageId()).receiptHandle(m.receiptHandle()).build())
                    .toList()));
        }
    }

    /** Up to {@value #BATCH} waiting messages, ten per receive (SQS's most), as the event source gathers them. */
    private static List<Message> batch(TestGraph graph, String queue) {
        List<Message> batch = new ArrayList<>();
        while (batch.size() < BATCH) {
            List<Message> some = graph.sqs().receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10)
                    .waitTimeSeconds(0)).messages();
            if (some.isEmpty()) {
                break;
            }
            batch.addAll(some);
        }
        return batch;
    }
}
