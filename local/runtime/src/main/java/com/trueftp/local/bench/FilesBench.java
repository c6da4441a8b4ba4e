package com.trueftp.local.bench;

import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.trueftp.account.Account;
import com.trueftp.account.AccountRepository;
import com.trueftp.account.Plan;
import com.trueftp.auth.ApiKeyRepository;
import com.trueftp.auth.Caller;
import com.trueftp.auth.Scope;
import com.trueftp.aws.AwsModule;
import com.trueftp.aws.S3Module;
import com.trueftp.core.Config;
import com.trueftp.core.Json;
import com.trueftp.events.EventLog;
import com.trueftp.files.FileRemover;
import com.trueftp.files.FileSpaces;
import com.trueftp.files.FileStore;
import com.trueftp.files.ListCursor;
import com.trueftp.files.PendingUploads;
import com.trueftp.ftpuser.FtpUserRepository;
import com.trueftp.functions.files.FilesEndpoint;
import com.trueftp.http.ApiRequest;
import com.trueftp.http.ApiResponse;
import com.trueftp.http.Route;
import com.trueftp.http.Routes;
import com.trueftp.local.LocalAws;
import com.trueftp.local.LocalGateway;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * (f) Files: a folder of 10,000 files listed page by page (time per page through the gateway, S3 calls per
 * page in-process), 1 MiB uploads and downloads through the gateway against the same bytes straight to and
 * from the S3 emulator, and deleting the folder (S3 calls used). Runs alone with {@code FilesBench [--files N]}.
 */
final class FilesBench {
    static final int DEFAULT_FILES = 10_000;
    static final int TRANSFERS = 30;
    static final int MIB = 1024 * 1024;
    private static final String BOUNDARY = "bench-boundary-7d2f";

    private final Clock clock;
    private final int files;

    FilesBench(Clock clock, int files) {
        this.clock = clock;
        this.files = files;
    }

    public static void main(String[] args) {
        int count = DEFAULT_FILES;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--files") && i + 1 < args.length) {
                count = Integer.parseInt(args[++i].replace("_", "").replace(",", ""));
            } else {
                System.err.println("usage: FilesBench [--files N]   (default " + DEFAULT_FILES + ")");
                System.exit(2);
            }
        }
        int n = count;
        Bench.measure(json -> json.put("files", new FilesBench(Clock.systemUTC(), n).run()));
    }

    Map<String, Object> run() throws Exception {
        System.out.printf("(f) Files: a folder of %,d files listed page by page, %d uploads and downloads of 1 MiB "
                + "through the local gateway vs straight to S3Mock, then the folder deleted%n", files, TRANSFERS);
        Map<String, Object> json = new LinkedHashMap<>();
        try (LocalAws aws = LocalAws.start(0, null)) {
            Map<String, String> settings = aws.settings();
            settings.forEach(System::setProperty);
            AtomicLong s3Calls = new AtomicLong();
            // S3Mock rewrites a bucket's whole index on every change: deleting from a bucket of 10,000
            // objects takes minutes where S3 takes seconds. Patience for this run only.
            Config patient = aws.config().with(Config.S3_BATCH_TIMEOUT_SECONDS, "900");
            try (LocalGateway gateway = LocalGateway.start(0, Config.DEFAULT_AUTH_CACHE_TTL, LogLevel.WARN, false);
                 DynamoDbClient dynamo = aws.dynamoDb(); S3Client s3 = aws.s3();
                 S3Client counted = countingClient(patient, s3Calls)) {
                Account account = new AccountRepository(dynamo, aws.config(), clock).create("bench files", Plan.BUSINESS);
                var key = new ApiKeyRepository(dynamo, aws.config(), clock).create(account.id(), "bench",
                        EnumSet.of(Scope.READ, Scope.WRITE), Bench.BENCH_RATE_LIMIT, null);
                String token = key.token();
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                String base = gateway.baseUrl();
                String user = (String) Json.readObject(send(http, HttpRequest.newBuilder(URI.create(base + "/ftp-users"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"bench\",\"password\":\"a-strong-secret\"}"))
                        .header("Content-Type", "application/json"), token, 201).body()).get("id");
                String prefix = account.id() + "/" + user + "/big/";
                String bucket = aws.config().require(Config.FILES_BUCKET);

                long started = System.nanoTime();
                fill(s3, bucket, prefix);
                double fillSeconds = (System.nanoTime() - started) / 1e9;
                System.out.printf("    generated %,d objects under /big/ straight into S3Mock in %.1f s%n", files, fillSeconds);
                json.put("files", files);
                json.put("generate_seconds", Bench.round(fillSeconds, 1));

                for (int limit : new int[]{100, 1000}) {
                    json.put("list_limit_" + limit, listThroughGateway(http, base, user, token, limit));
                }
                EventLog eventLog = new EventLog(dynamo, aws.config(), clock);
                AccountRepository accounts = new AccountRepository(dynamo, aws.config(), clock);
                FileStore store = new FileStore(counted, S3Module.presignerFrom(aws.config()), patient);
                PendingUploads uploads = new PendingUploads(dynamo, aws.config(), store, accounts, eventLog, clock);
                FilesEndpoint endpoint = new FilesEndpoint(new FileSpaces(
                        new FtpUserRepository(dynamo, aws.config(), eventLog, clock), accounts, store,
                        new FileRemover(store, accounts, uploads), new ListCursor(aws.config()), uploads, eventLog, clock,
                        aws.config()));
                Caller caller = Caller.of(key.key(), account);
                json.put("list_s3_calls", listInProcess(endpoint, caller, user, s3Calls));
                json.put("transfer_1mib", transfers(http, base, user, token, s3, bucket, account.id()));

                s3Calls.set(0);
                long deleteStarted = System.nanoTime();
                ApiResponse deleted = endpoint.delete(request("DELETE /ftp-users/{id}/files", caller, user,
                        Map.of("path", "/big/")));
                double deleteSeconds = (System.nanoTime() - deleteStarted) / 1e9;
                if (deleted.status() != 204 || !s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)).contents().isEmpty()) {
                    throw new IllegalStateException("the folder was not deleted: " + deleted);
                }
                System.out.printf("    DELETE /big/ (%,d objects): %.1f s, %d S3 calls (%d per 1,000 objects; "
                        + "DeleteObjects takes 1,000 keys)%n", files, deleteSeconds, s3Calls.get(), s3Calls.get() * 1000 / files);
                Map<String, Object> delete = new LinkedHashMap<>();
                delete.put("objects", files);
                delete.put("seconds", Bench.round(deleteSeconds, 2));
                delete.put("s3_calls", s3Calls.get());
                json.put("delete_folder", delete);
            } finally {
                settings.keySet().forEach(System::clearProperty);
            }
        }
        return json;
    }

    private void fill(S3Client s3, String bucket, String prefix) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (int i = 0; i < files; i++) {
                String key = prefix + String.format("file-%06d.csv", i);
                puts.add(pool.submit(() -> s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("id,amount\n"))));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private Map<String, Object> listThroughGateway(HttpClient http, String base, String user, String token, int limit)
            throws Exception {
        List<Long> pages = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String cursor = null;
        do {
            String url = base + "/ftp-users/" + user + "/files?path=/big/&limit=" + limit
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            long started = System.nanoTime();
            HttpResponse<String> page = send(http, HttpRequest.newBuilder(URI.create(url)), token, 200);
            pages.add(System.nanoTime() - started);
            Map<String, Object> body = Json.readObject(page.body());
            for (Object entry : (List<?>) body.get("data")) {
                if (!seen.add((String) ((Map<?, ?>) entry).get("name"))) {
                    throw new IllegalStateException("listed twice: " + entry);
                }
            }
            cursor = (String) body.get("next_cursor");
        } while (cursor != null);
        if (seen.size() != files) {
            throw new IllegalStateException("listed " + seen.size() + " of " + files);
        }
        long[] sorted = pages.stream().mapToLong(Long::longValue).sorted().toArray();
        double p50 = Bench.ms(Bench.nearestRank(sorted, 50));
        double p99 = Bench.ms(Bench.nearestRank(sorted, 99));
        System.out.printf("    list limit=%-4d %4d pages: p50 %7.2f ms, p99 %7.2f ms per page, first %.2f ms, last %.2f ms%n",
                limit, pages.size(), p50, p99, Bench.ms(pages.get(0)), Bench.ms(pages.get(pages.size() - 1)));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("pages", pages.size());
        json.put("p50_ms", Bench.round(p50, 3));
        json.put("p99_ms", Bench.round(p99, 3));
        json.put("first_ms", Bench.round(Bench.ms(pages.get(0)), 3));
        json.put("last_ms", Bench.round(Bench.ms(pages.get(pages.size() - 1)), 3));
        return json;
    }

    private Map<String, Object> listInProcess(FilesEndpoint endpoint, Caller caller, String user, AtomicLong s3Calls)
            throws Exception {
        s3Calls.set(0);
        int pages = 0;
        String cursor = null;
        do {
            Map<String, String> query = new HashMap<>(Map.of("path", "/big/", "limit", "1000"));
            if (cursor != null) {
                query.put("cursor", cursor);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> body = (Map<String, Object>) endpoint.list(request("GET /ftp-users/{id}/files",
                    caller, user, query)).body();
            cursor = (String) body.get("next_cursor");
            pages++;
        } while (cursor != null);
        double perPage = (double) s3Calls.get() / pages;
        System.out.printf("    list in-process, limit=1000: %d pages, %d S3 calls: %.2f per page%n", pages, s3Calls.get(), perPage);
        return Map.of("pages", pages, "s3_calls", s3Calls.get(), "per_page", Bench.round(perPage, 2));
    }

    private Map<String, Object> transfers(HttpClient http, String base, String user, String token, S3Client s3,
                                          String bucket, String accountId) throws Exception {
        byte[] mib = new byte[MIB];
        new Random(1).nextBytes(mib);
        byte[] head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"one-mib.bin\"\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] multipart = new byte[head.length + mib.length + tail.length];
        System.arraycopy(head, 0, multipart, 0, head.length);
        System.arraycopy(mib, 0, multipart, head.length, mib.length);
        System.arraycopy(tail, 0, multipart, head.length + mib.length, tail.length);
        HttpClient following = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        String directKey = accountId + "/direct/one-mib.bin";
        long[] apiUp = new long[TRANSFERS];
        long[] directUp = new long[TRANSFERS];
        long[] apiDown = new long[TRANSFERS];
        long[] directDown = new long[TRANSFERS];
        for (int i = 0; i < TRANSFERS; i++) { // alternating, so both see the same machine
            long started = System.nanoTime();
            send(http, HttpRequest.newBuilder(URI.create(base + "/ftp-users/" + user + "/files?path=/one-mib.bin"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(multipart))
                    .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY), token, 201);
            apiUp[i] = System.nanoTime() - started;
            started = System.nanoTime();
            s3.putObject(b -> b.bucket(bucket).key(directKey), RequestBody.fromBytes(mib));
            directUp[i] = System.nanoTime() - started;
            started = System.nanoTime();
            HttpResponse<byte[]> down = following.send(HttpRequest.newBuilder(URI.create(base + "/ftp-users/" + user
                    + "/files/download?path=/one-mib.bin")).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            apiDown[i] = System.nanoTime() - started;
            if (down.statusCode() != 200 || !Arrays.equals(down.body(), mib)) {
                throw new IllegalStateException("download through the API returned " + down.statusCode());
            }
            started = System.nanoTime();
            byte[] direct = s3.getObjectAsBytes(b -> b.bucket(bucket).key(directKey)).asByteArray();
            directDown[i] = System.nanoTime() - started;
            if (direct.length != MIB) {
                throw new IllegalStateException("direct download returned " + direct.length + " bytes");
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("upload", ratio("upload 1 MiB", apiUp, directUp));
        json.put("download", ratio("download 1 MiB", apiDown, directDown));
        return json;
    }

    private static Map<String, Object> ratio(String what, long[] api, long[] direct) {
        long apiP50 = p50(api);
        long directP50 = p50(direct);
        double ratio = (double) apiP50 / directP50;
        System.out.printf("    %-15s through the API p50 %7.2f ms, straight to S3Mock p50 %7.2f ms: ratio %.2f%n",
                what, Bench.ms(apiP50), Bench.ms(directP50), ratio);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("api_p50_ms", Bench.round(Bench.ms(apiP50), 3));
        json.put("direct_p50_ms", Bench.round(Bench.ms(directP50), 3));
        json.put("ratio", Bench.round(ratio, 2));
        return json;
    }

    private static long p50(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return Bench.nearestRank(sorted, 50);
    }

    private static ApiRequest request(String route, Caller caller, String user, Map<String, String> query) {
        Route found = Routes.ALL.stream().filter(r -> r.toString().equals(route)).findFirst().orElseThrow();
        return new ApiRequest(found, caller, Map.of("id", user), query, Map.of(), new byte[0], "bench");
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request, String token, int expected)
            throws Exception {
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(response.request().method() + " " + response.request().uri() + " answered "
                    + response.statusCode() + ": " + response.body());
        }
        return response;
    }

    /** The functions' S3 client setup, plus an interceptor that counts every S3 call. */
    private static S3Client countingClient(Config config, AtomicLong calls) {
        ExecutionInterceptor counter = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                calls.incrementAndGet();
            }
        };
        return S3Module.s3Builder(config)
                .overrideConfiguration(AwsModule.overrides().toBuilder().addExecutionInterceptor(counter).build()).build();
    }
}
