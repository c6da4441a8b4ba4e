package com.trueftp.bench;

import com.trueftp.aws.AwsModule;
import com.trueftp.aws.Tables;
import com.trueftp.core.Config;
import com.trueftp.core.Json;
import com.trueftp.core.RandomIds;
import com.trueftp.events.Event;
import com.trueftp.events.EventItems;
import com.trueftp.events.EventLog;
import com.trueftp.events.EventSource;
import com.trueftp.events.EventType;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * (e) Events at depth: an account with 1,000,000 events, written straight into the emulator (BatchWriteItem,
 * 25 items a call, from several threads), then {@code GET /events?limit=50&offset=K} through the local
 * gateway for K = 0, 10,000 and the last full page. Warm-up requests per K first, then the measured requests
 * in rounds that visit every K in turn, so machine noise hits the pages alike. The items and DynamoDB calls
 * a page costs are counted in-process on the same {@link EventLog} the events function uses.
 */
final class EventsBench {
    static final int DEFAULT_EVENTS = 1_000_000;
    /** Enough for a full page 10,000 deep. */
    static final int MIN_EVENTS = 10_050;
    static final int PAGE = 50;
    static final int BATCH = 25; // BatchWriteItem's maximum
    /** dynalite is one Node process and the bound: 2, 4 and 8 writers gave the same rate within noise here. */
    static final int WRITER_THREADS = 4;
    static final int WARMUP_REQUESTS = 20;
    static final int MEASURED_REQUESTS = 200;
    /** The generated events span this much time up to now: well inside the default 90-day retention. */
    static final Duration SPAN = Duration.ofDays(30);
    private static final String[] USERS = {"alice", "bob", "carol", "dave"};
    private static final EventType[] FILE_TYPES = {EventType.FILE_UPLOADED, EventType.FILE_DOWNLOADED,
            EventType.FILE_UPLOADED, EventType.FILE_DELETED, EventType.FOLDER_CREATED};

    private final Clock clock = Clock.systemUTC();
    private final int count;

    EventsBench(int count) {
        this.count = count;
    }

    /** The offsets measured: the first page, a page 10,000 deep, and the last full page. */
    private long[] offsets() {
        return new long[]{0, 10_000, count - PAGE};
    }

    Map<String, Object> run() throws Exception {
        long[] offsets = offsets();
        System.out.printf("(e) Events at depth: %,d events in one account, GET /events?limit=%d&offset=K through the "
                        + "local gateway for K = %s; %d warm-up then %d measured requests per K (the measured ones in "
                        + "rounds over all K), one keep-alive connection%n", count, PAGE,
                String.join(", ", Arrays.stream(offsets).mapToObj(k -> String.format("%,d", k)).toList()),
                WARMUP_REQUESTS, MEASURED_REQUESTS);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("events", count);
        List<Map<String, Object>> pages;
        try (Fixture fixture = Fixture.start()) {
            json.put("generation", generate(fixture.config(), fixture.account().id()));
            pages = pages(fixture, offsets);
            json.put("pages", pages);
        }
        double first = (Double) pages.get(0).get("p50_ms");
        double deepest = (Double) pages.get(pages.size() - 1).get("p50_ms");
        double ratio = deepest / first;
        System.out.printf("    deepest / first page p50: %.2f (target ≤ 1.2: %s)%n", ratio, ratio <= 1.2 ? "met" : "NOT met");
        json.put("p50_ratio_deepest_to_first", Timings.round(ratio, 3));
        json.put("target_ratio", 1.2);
        json.put("target_met", ratio <= 1.2);
        return json;
    }

    // ---------------------------------------------------------------- generation

    /**
     * Writes events 1..count in {@link EventLog}'s item format, oldest first and evenly spread over {@link #SPAN}
     * up to now, then sets the account's {@code event_seq} to count (the fixture's own event, number 1, is
     * overwritten).
     */
    private Map<String, Object> generate(Config config, String accountId) throws Exception {
        String table = config.require(Tables.EVENTS.nameVariable());
        Duration retention = config.eventRetention();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        long stepMillis = Math.max(1, SPAN.toMillis() / count);
        Instant oldest = now.minusMillis(stepMillis * count);
        int batches = (count + BATCH - 1) / BATCH;
        AtomicLong nextBatch = new AtomicLong();
        AtomicLong calls = new AtomicLong();
        AtomicLong written = new AtomicLong();

        System.out.printf("    generating: BatchWriteItem of %d items from %d threads straight into dynalite, "
                + "created_at %s … %s (retention %d days)%n", BATCH, WRITER_THREADS, oldest.plusMillis(stepMillis),
                now, retention.toDays());
        ExecutorService pool = Executors.newFixedThreadPool(WRITER_THREADS, task -> {
            Thread t = new Thread(task, "bench-events-writer");
            t.setDaemon(true);
            return t;
        });
        long started = System.nanoTime();
        // Generous timeouts: one busy Node process serves every writer, and a long pause there must not fail
        // the run (a retried put writes the same item again).
        try (DynamoDbClient dynamo = AwsModule.dynamoDbBuilder(config).overrideConfiguration(o -> o
                .retryStrategy(RetryMode.STANDARD).apiCallAttemptTimeout(Duration.ofSeconds(30))
                .apiCallTimeout(Duration.ofSeconds(120))).build()) {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITER_THREADS; w++) {
                writers.add(pool.submit(() -> {
                    long batch;
                    while ((batch = nextBatch.getAndIncrement()) < batches) {
                        long from = batch * BATCH + 1;
                        long to = Math.min(count, from + BATCH - 1);
                        List<WriteRequest> requests = new ArrayList<>(BATCH);
                        for (long seq = from; seq <= to; seq++) {
                            Event event = event(seq, oldest.plusMillis(stepMillis * seq));
                            requests.add(WriteRequest.builder().putRequest(PutRequest.builder()
                                    .item(EventItems.toItem(accountId, event, retention)).build()).build());
                        }
                        Map<String, List<WriteRequest>> pending = Map.of(table, requests);
                        while (!pending.isEmpty()) {
                            Map<String, List<WriteRequest>> items = pending;
                            BatchWriteItemResponse response = dynamo.batchWriteItem(b -> b.requestItems(items));
                            calls.incrementAndGet();
                            pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
                        }
                        long done = written.addAndGet(to - from + 1);
                        if (done / 100_000 != (done - (to - from + 1)) / 100_000) {
                            System.err.printf("    … %,d events written, %.0f s%n", done,
                                    (System.nanoTime() - started) / 1e9);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
            dynamo.updateItem(b -> b.tableName(config.require(Tables.ACCOUNTS.nameVariable()))
                    .key(Map.of("id", AttributeValue.fromS(accountId)))
                    .updateExpression("SET event_seq = :n")
                    .expressionAttributeValues(Map.of(":n", AttributeValue.fromN(Long.toString(count)))));
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (written.get() != count) {
            throw new IllegalStateException("wrote " + written.get() + " events instead of " + count);
        }
        double rate = count / seconds;
        System.out.printf("    generated %,d events in %.1f s (%,.0f events/s, %,d BatchWriteItem calls); "
                + "the account's event_seq set to %,d%n", count, seconds, rate, calls.get(), count);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("batch_items", BATCH);
        json.put("threads", WRITER_THREADS);
        json.put("batch_write_calls", calls.get());
        json.put("seconds", Timings.round(seconds, 1));
        json.put("events_per_second", Math.round(rate));
        return json;
    }

    /** A file event with made-up but plausible values. */
    private static Event event(long seq, Instant createdAt) {
        String user = USERS[(int) (seq % USERS.length)];
        EventType type = FILE_TYPES[(int) (seq % FILE_TYPES.length)];
        Long size = type == EventType.FOLDER_CREATED ? null : 1024 + seq % 1_000_000;
        return new Event(RandomIds.newId("evt"), seq, type, "ftp_bench" + user, user,
                "/" + user + "/reports/" + (seq / 1000) + "/file-" + seq + ".csv", size, EventSource.API, createdAt);
    }

    // ---------------------------------------------------------------- pages

    private List<Map<String, Object>> pages(Fixture fixture, long[] offsets) throws Exception {
        // What a page costs in DynamoDB: the same EventLog the events function builds, on a counted client.
        CallCounter counter = new CallCounter();
        long[] pageCalls = new long[offsets.length];
        long[] pageItems = new long[offsets.length];
        try (DynamoDbClient counted = counter.dynamoDb(fixture.config())) {
            EventLog log = new EventLog(counted, fixture.config(), clock);
            for (int i = 0; i < offsets.length; i++) {
                long callsBefore = counter.calls();
                long itemsBefore = counter.itemsRead();
                EventLog.Page page = log.page(fixture.account().id(), Math.toIntExact(offsets[i]), PAGE);
                pageCalls[i] = counter.calls() - callsBefore;
                pageItems[i] = counter.itemsRead() - itemsBefore;
                if (page.events().size() != PAGE || page.total() != count
                        || page.events().get(0).seq() != count - offsets[i]) {
                    throw new IllegalStateException("EventLog.page at offset " + offsets[i] + " gave "
                            + page.events().size() + " events of total " + page.total() + ", expected " + PAGE
                            + " of " + count + " from number " + (count - offsets[i]));
                }
            }
        }

        HttpRequest.Builder[] requests = new HttpRequest.Builder[offsets.length];
        for (int i = 0; i < offsets.length; i++) {
            requests[i] = fixture.request("/events?limit=" + PAGE + "&offset=" + offsets[i]);
        }
        for (int i = 0; i < offsets.length; i++) {
            for (int r = 0; r < WARMUP_REQUESTS; r++) {
                send(fixture, requests[i]);
            }
        }
        long[][] nanos = new long[offsets.length][MEASURED_REQUESTS];
        for (int r = 0; r < MEASURED_REQUESTS; r++) {
            for (int i = 0; i < offsets.length; i++) {
                nanos[i][r] = send(fixture, requests[i]);
            }
        }

        List<Map<String, Object>> json = new ArrayList<>();
        System.out.println("       offset K   p50 ms   p99 ms   items read   DynamoDB calls   (per page)");
        for (int i = 0; i < offsets.length; i++) {
            Timings timings = Timings.of(nanos[i]);
            System.out.printf("    %,11d %8.2f %8.2f %12d %16d%n", offsets[i], timings.p50Ms(), timings.p99Ms(),
                    pageItems[i], pageCalls[i]);
            Map<String, Object> page = new LinkedHashMap<>();
            page.put("offset", offsets[i]);
            page.putAll(timings.json());
            page.put("items_read", pageItems[i]);
            page.put("dynamodb_calls", pageCalls[i]);
            json.add(page);
        }
        System.out.println("    (items read = items in the Query and GetItem answers of one EventLog.page, counted "
                + "in-process: the account item, the retention check and the page itself)");
        return json;
    }

    /** Times one request; it must answer 200 with a full page and the exact total. */
    private long send(Fixture fixture, HttpRequest.Builder request) throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> response = fixture.send(request, 200);
        long nanos = System.nanoTime() - started;
        Map<String, Object> body = Json.readObject(response.body());
        int size = ((List<?>) body.get("data")).size();
        long total = ((Number) body.get("total")).longValue();
        if (size != PAGE || total != count) {
            throw new IllegalStateException("GET " + response.uri() + " gave " + size + " events of total " + total
                    + ", expected " + PAGE + " of " + count);
        }
        return nanos;
    }
}
