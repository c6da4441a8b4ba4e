package com.trueftp.local.bench;

import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.trueftp.account.Account;
import com.trueftp.account.AccountRepository;
import com.trueftp.account.Plan;
import com.trueftp.auth.ApiKeyRepository;
import com.trueftp.auth.Scope;
import com.trueftp.aws.AwsModule;
import com.trueftp.aws.Tables;
import com.trueftp.core.Config;
import com.trueftp.core.Json;
import com.trueftp.core.RandomIds;
import com.trueftp.events.EventLog;
import com.trueftp.events.EventType;
import com.trueftp.local.LocalAws;
import com.trueftp.local.LocalGateway;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
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
 *
 * <p>Runs alone too: {@code java -cp local/runtime/target/trueftp-local.jar com.trueftp.local.bench.EventsBench
 * [--events N]} (default 1,000,000; a smaller N is for a quick smoke run, not for the recorded figures).
 */
final class EventsBench {
    static final int DEFAULT_EVENTS = 1_000_000;
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

    private final Clock clock;
    private final int count;

    EventsBench(Clock clock) {
        this(clock, DEFAULT_EVENTS);
    }

    EventsBench(Clock clock, int count) {
        if (count < PAGE + 10_000) {
            throw new IllegalArgumentException("at least " + (PAGE + 10_000) + " events are needed for offset 10,000");
        }
        this.clock = clock;
        this.count = count;
    }

    public static void main(String[] args) {
        int count = DEFAULT_EVENTS;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--events") && i + 1 < args.length) {
                count = Integer.parseInt(args[++i].replace("_", "").replace(",", ""));
            } else {
                System.err.println("usage: EventsBench [--events N]   (default " + DEFAULT_EVENTS + ")");
                System.exit(2);
            }
        }
        int events = count;
        Bench.measure(json -> json.put("events", new EventsBench(Clock.systemUTC(), events).run()));
    }

    /** The offsets measured: the first page, a page 10,000 deep, and the last full page. */
    long[] offsets() {
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
        try (LocalAws aws = LocalAws.start(0, null)) {
            Map<String, String> settings = aws.settings();
            settings.forEach(System::setProperty);
            try (LocalGateway gateway = LocalGateway.start(0, Config.DEFAULT_AUTH_CACHE_TTL, LogLevel.WARN, false);
                 DynamoDbClient dynamo = aws.dynamoDb()) {
                Config config = aws.config();
                Account account = new AccountRepository(dynamo, config, clock).create("bench events", Plan.PRO);
                String token = new ApiKeyRepository(dynamo, config, clock).create(account.id(), "bench",
                        EnumSet.of(Scope.READ), Bench.BENCH_RATE_LIMIT, null).token();

                json.put("generation", generate(aws, account.id()));
                json.put("pages", pages(aws, gateway.baseUrl(), token, account.id(), offsets));
            } finally {
                settings.keySet().forEach(System::clearProperty);
            }
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> pages = (List<Map<String, Object>>) json.get("pages");
        double first = (Double) pages.get(0).get("p50_ms");
        double deepest = (Double) pages.get(pages.size() - 1).get("p50_ms");
        double ratio = deepest / first;
        System.out.printf("    deepest / first page p50: %.2f (target ≤ 1.2: %s)%n", ratio, ratio <= 1.2 ? "met" : "NOT met");
        json.put("p50_ratio_deepest_to_first", Bench.round(ratio, 3));
        json.put("target_ratio", 1.2);
        json.put("target_met", ratio <= 1.2);
        return json;
    }

    // ---------------------------------------------------------------- generation

    /**
     * Writes events 1..count as {@link EventLog} would have (same attributes and formats), oldest first and
     * evenly spread over {@link #SPAN} up to now, then sets the account's {@code event_seq} to count.
     */
    private Map<String, Object> generate(LocalAws aws, String accountId) throws Exception {
        Config config = aws.config();
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
        try (DynamoDbClient dynamo = client(aws, ClientOverrideConfiguration.builder()
                .retryStrategy(RetryMode.STANDARD).apiCallAttemptTimeout(Duration.ofSeconds(30))
                .apiCallTimeout(Duration.ofSeconds(120)).build())) {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITER_THREADS; w++) {
                writers.add(pool.submit(() -> {
                    long batch;
                    while ((batch = nextBatch.getAndIncrement()) < batches) {
                        long from = batch * BATCH + 1;
                        long to = Math.min(count, from + BATCH - 1);
                        List<WriteRequest> requests = new ArrayList<>(BATCH);
                        for (long seq = from; seq <= to; seq++) {
                            Instant createdAt = oldest.plusMillis(stepMillis * seq);
                            requests.add(WriteRequest.builder().putRequest(PutRequest.builder()
                                    .item(item(accountId, seq, createdAt, retention)).build()).build());
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
        json.put("seconds", Bench.round(seconds, 1));
        json.put("events_per_second", Math.round(rate));
        return json;
    }

    /** The item {@link EventLog} writes for an event, with made-up but plausible values. */
    private static Map<String, AttributeValue> item(String accountId, long seq, Instant createdAt, Duration retention) {
        Map<String, AttributeValue> item = new HashMap<>();
        String user = USERS[(int) (seq % USERS.length)];
        item.put("account_id", AttributeValue.fromS(accountId));
        item.put("seq", AttributeValue.fromN(Long.toString(seq)));
        item.put("id", AttributeValue.fromS(RandomIds.newId("evt")));
        EventType type = FILE_TYPES[(int) (seq % FILE_TYPES.length)];
        item.put("type", AttributeValue.fromS(type.id()));
        item.put("ftp_user_id", AttributeValue.fromS("ftp_bench" + user));
        item.put("username", AttributeValue.fromS(user));
        item.put("path", AttributeValue.fromS("/" + user + "/reports/" + (seq / 1000) + "/file-" + seq + ".csv"));
        if (type != EventType.FOLDER_CREATED) {
            item.put("size", AttributeValue.fromN(Long.toString(1024 + seq % 1_000_000)));
        }
        item.put("created_at", AttributeValue.fromS(createdAt.toString()));
        item.put("expires_at", AttributeValue.fromN(Long.toString(createdAt.plus(retention).getEpochSecond())));
        return item;
    }

    // ---------------------------------------------------------------- pages

    private List<Map<String, Object>> pages(LocalAws aws, String base, String token, String accountId, long[] offsets)
            throws Exception {
        // What a page costs in DynamoDB: the same EventLog the events function builds, on a counting client.
        AtomicLong calls = new AtomicLong();
        AtomicLong itemsRead = new AtomicLong();
        long[] pageCalls = new long[offsets.length];
        long[] pageItems = new long[offsets.length];
        try (DynamoDbClient counting = countingClient(aws, calls, itemsRead)) {
            EventLog log = new EventLog(counting, aws.config(), clock);
            for (int i = 0; i < offsets.length; i++) {
                long callsBefore = calls.get();
                long itemsBefore = itemsRead.get();
                EventLog.Page page = log.page(accountId, Math.toIntExact(offsets[i]), PAGE);
                pageCalls[i] = calls.get() - callsBefore;
                pageItems[i] = itemsRead.get() - itemsBefore;
                if (page.events().size() != PAGE || page.total() != count
                        || page.events().get(0).seq() != count - offsets[i]) {
                    throw new IllegalStateException("EventLog.page at offset " + offsets[i] + " gave "
                            + page.events().size() + " events of total " + page.total() + ", expected " + PAGE
                            + " of " + count + " from number " + (count - offsets[i]));
                }
            }
        }

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest[] requests = new HttpRequest[offsets.length];
        for (int i = 0; i < offsets.length; i++) {
            requests[i] = HttpRequest.newBuilder(URI.create(base + "/events?limit=" + PAGE + "&offset=" + offsets[i]))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).GET().build();
        }
        for (int i = 0; i < offsets.length; i++) {
            for (int r = 0; r < WARMUP_REQUESTS; r++) {
                send(http, requests[i]);
            }
        }
        long[][] nanos = new long[offsets.length][MEASURED_REQUESTS];
        for (int r = 0; r < MEASURED_REQUESTS; r++) {
            for (int i = 0; i < offsets.length; i++) {
                nanos[i][r] = send(http, requests[i]);
            }
        }

        List<Map<String, Object>> json = new ArrayList<>();
        System.out.println("       offset K   p50 ms   p99 ms   items read   DynamoDB calls   (per page)");
        for (int i = 0; i < offsets.length; i++) {
            long[] sorted = nanos[i].clone();
            Arrays.sort(sorted);
            double p50 = Bench.ms(Bench.nearestRank(sorted, 50));
            double p99 = Bench.ms(Bench.nearestRank(sorted, 99));
            System.out.printf("    %,11d %8.2f %8.2f %12d %16d%n", offsets[i], p50, p99, pageItems[i], pageCalls[i]);
            Map<String, Object> page = new LinkedHashMap<>();
            page.put("offset", offsets[i]);
            page.put("requests", MEASURED_REQUESTS);
            page.put("p50_ms", Bench.round(p50, 3));
            page.put("p99_ms", Bench.round(p99, 3));
            page.put("items_read", pageItems[i]);
            page.put("dynamodb_calls", pageCalls[i]);
            json.add(page);
        }
        System.out.println("    (items read = items in the Query and GetItem answers of one EventLog.page, counted "
                + "in-process: the account item, the retention check and the page itself)");
        return json;
    }

    /** Times one request; it must answer 200 with a full page and the exact total. */
    private long send(HttpClient http, HttpRequest request) throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        long nanos = System.nanoTime() - started;
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + request.uri() + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        Map<String, Object> body = Json.readObject(response.body());
        int size = ((List<?>) body.get("data")).size();
        long total = ((Number) body.get("total")).longValue();
        if (size != PAGE || total != count) {
            throw new IllegalStateException("GET " + request.uri() + " gave " + size + " events of total " + total
                    + ", expected " + PAGE + " of " + count);
        }
        return nanos;
    }

    /** The handlers' client setup, plus an interceptor that counts DynamoDB calls and the items they return. */
    private static DynamoDbClient countingClient(LocalAws aws, AtomicLong calls, AtomicLong itemsRead) {
        ExecutionInterceptor counter = new ExecutionInterceptor() {
            @Override
            public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
                calls.incrementAndGet();
                SdkResponse response = context.response();
                if (response instanceof QueryResponse query) {
                    itemsRead.addAndGet(query.count());
                } else if (response instanceof GetItemResponse get && get.hasItem() && !get.item().isEmpty()) {
                    itemsRead.incrementAndGet();
                }
            }
        };
        return client(aws, AwsModule.overrides().toBuilder().addExecutionInterceptor(counter).build());
    }

    /**
     * A client on the emulator. Generation gets generous timeouts: one busy Node process serves every writer,
     * and a long pause there must not fail the run (a retried put writes the same item again).
     */
    private static DynamoDbClient client(LocalAws aws, ClientOverrideConfiguration overrides) {
        return AwsModule.dynamoDbBuilder(aws.config()).overrideConfiguration(overrides).build();
    }
}
