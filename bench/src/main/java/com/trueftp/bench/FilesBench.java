package com.trueftp.bench;

import com.trueftp.auth.Caller;
import com.trueftp.core.Config;
import com.trueftp.core.Json;
import com.trueftp.functions.files.FilesEndpoint;
import com.trueftp.http.ApiRequest;
import com.trueftp.http.ApiResponse;
import com.trueftp.http.Route;
import com.trueftp.http.Routes;
import com.trueftp.testing.Multipart;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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

/**
 * (f) Files: a folder of 10,000 files listed page by page (time per page through the gateway, S3 calls per
 * page in-process), 1 MiB uploads and downloads through the gateway against the same bytes straight to and
 * from the S3 emulator, and deleting the folder (S3 calls used).
 */
final class FilesBench {
    static final int DEFAULT_FILES = 10_000;
    static final int TRANSFERS = 30;
    static final int MIB = 1024 * 1024;

    private final int files;

    FilesBench(int files) {
        this.files = files;
    }

    Map<String, Object> run() throws Exception {
        System.out.printf("(f) Files: a folder of %,d files listed page by page, %d uploads and downloads of 1 MiB "
                + "through the local gateway vs straight to S3Mock, then the folder deleted%n", files, TRANSFERS);
        Map<String, Object> json = new LinkedHashMap<>();
        try (Fixture fixture = Fixture.start()) {
            CallCounter s3Calls = new CallCounter();
            // S3Mock rewrites a bucket's whole index on every change: deleting from a bucket of 10,000 objects
            // takes minutes where S3 takes seconds. Patience for this run only.
            CountedFiles counted = CountedFiles.of(fixture.config().with(Config.S3_BATCH_TIMEOUT_SECONDS, "900"), s3Calls);
            FilesEndpoint endpoint = counted.endpoint();
            S3Client s3 = counted.s3();
            String bucket = fixture.config().require(Config.FILES_BUCKET);
            String prefix = fixture.account().id() + "/" + fixture.user().id() + "/big/";

            long started = System.nanoTime();
            fill(s3, bucket, prefix);
            double fillSeconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("    generated %,d objects under /big/ straight into S3Mock in %.1f s%n", files, fillSeconds);
            json.put("files", files);
            json.put("generate_seconds", Timings.round(fillSeconds, 1));

            for (int limit : new int[]{100, 1000}) {
                json.put("list_limit_" + limit, listThroughGateway(fixture, limit));
            }
            json.put("list_s3_calls", listInProcess(endpoint, fixture, s3Calls));
            json.put("transfer_1mib", transfers(fixture, s3, bucket));

            long callsBefore = s3Calls.calls();
            long deleteStarted = System.nanoTime();
            ApiResponse deleted = endpoint.delete(request("DELETE /ftp-users/{id}/files", fixture, Map.of("path", "/big/")));
            double deleteSeconds = (System.nanoTime() - deleteStarted) / 1e9;
            long deleteCalls = s3Calls.calls() - callsBefore;
            if (deleted.status() != 204 || !s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)).contents().isEmpty()) {
                throw new IllegalStateException("the folder was not deleted: " + deleted);
            }
            System.out.printf("    DELETE /big/ (%,d objects): %.1f s, %d S3 calls (%d per 1,000 objects; "
                    + "DeleteObjects takes 1,000 keys)%n", files, deleteSeconds, deleteCalls, deleteCalls * 1000 / files);
            Map<String, Object> delete = new LinkedHashMap<>();
            delete.put("objects", files);
            delete.put("seconds", Timings.round(deleteSeconds, 2));
            delete.put("s3_calls", deleteCalls);
            json.put("delete_folder", delete);
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

    private Map<String, Object> listThroughGateway(Fixture fixture, int limit) throws Exception {
        List<Long> pages = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String cursor = null;
        do {
            HttpRequest.Builder request = fixture.request("/ftp-users/" + fixture.user().id() + "/files?path=/big/&limit="
                    + limit + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            long started = System.nanoTime();
            HttpResponse<String> page = fixture.send(request, 200);
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
        Timings timings = Timings.of(pages);
        System.out.printf("    list limit=%-4d %4d pages: %s per page, first %.2f ms, last %.2f ms%n",
                limit, timings.count(), timings, timings.firstMs(), timings.lastMs());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("pages", timings.count());
        json.put("p50_ms", Timings.round(timings.p50Ms(), 3));
        json.put("p99_ms", Timings.round(timings.p99Ms(), 3));
        json.put("first_ms", Timings.round(timings.firstMs(), 3));
        json.put("last_ms", Timings.round(timings.lastMs(), 3));
        return json;
    }

    private Map<String, Object> listInProcess(FilesEndpoint endpoint, Fixture fixture, CallCounter s3Calls) {
        long callsBefore = s3Calls.calls();
        int pages = 0;
        String cursor = null;
        do {
            Map<String, String> query = new HashMap<>(Map.of("path", "/big/", "limit", "1000"));
            if (cursor != null) {
                query.put("cursor", cursor);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> body = (Map<String, Object>) endpoint.list(request("GET /ftp-users/{id}/files",
                    fixture, query)).body();
            cursor = (String) body.get("next_cursor");
            pages++;
        } while (cursor != null);
        long calls = s3Calls.calls() - callsBefore;
        double perPage = (double) calls / pages;
        System.out.printf("    list in-process, limit=1000: %d pages, %d S3 calls: %.2f per page%n", pages, calls, perPage);
        return Map.of("pages", pages, "s3_calls", calls, "per_page", Timings.round(perPage, 2));
    }

    private Map<String, Object> transfers(Fixture fixture, S3Client s3, String bucket) throws Exception {
        byte[] mib = new byte[MIB];
        new Random(1).nextBytes(mib);
        byte[] multipart = Multipart.body("file", "one-mib.bin", mib);
        HttpClient following = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        String files = "/ftp-users/" + fixture.user().id() + "/files";
        String directKey = fixture.account().id() + "/direct/one-mib.bin";
        long[] apiUp = new long[TRANSFERS];
        long[] directUp = new long[TRANSFERS];
        long[] apiDown = new long[TRANSFERS];
        long[] directDown = new long[TRANSFERS];
        for (int i = 0; i < TRANSFERS; i++) { // alternating, so both see the same machine
            HttpRequest.Builder upload = fixture.request(files + "?path=/one-mib.bin")
                    .header("Content-Type", Multipart.CONTENT_TYPE).POST(HttpRequest.BodyPublishers.ofByteArray(multipart));
            long started = System.nanoTime();
            fixture.send(upload, 201);
            apiUp[i] = System.nanoTime() - started;
            started = System.nanoTime();
            s3.putObject(b -> b.bucket(bucket).key(directKey), RequestBody.fromBytes(mib));
            directUp[i] = System.nanoTime() - started;
            HttpRequest download = fixture.request(files + "/download?path=/one-mib.bin").build();
            started = System.nanoTime();
            HttpResponse<byte[]> down = following.send(download, HttpResponse.BodyHandlers.ofByteArray());
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
        json.put("upload", ratio("upload 1 MiB", Timings.of(apiUp), Timings.of(directUp)));
        json.put("download", ratio("download 1 MiB", Timings.of(apiDown), Timings.of(directDown)));
        return json;
    }

    private static Map<String, Object> ratio(String what, Timings api, Timings direct) {
        double ratio = api.p50Ms() / direct.p50Ms();
        System.out.printf("    %-15s through the API p50 %7.2f ms, straight to S3Mock p50 %7.2f ms: ratio %.2f%n",
                what, api.p50Ms(), direct.p50Ms(), ratio);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("api_p50_ms", Timings.round(api.p50Ms(), 3));
        json.put("direct_p50_ms", Timings.round(direct.p50Ms(), 3));
        json.put("ratio", Timings.round(ratio, 2));
        return json;
    }

    /** A request as the pipeline hands it to the endpoint: the fixture's caller and FTP user. */
    private static ApiRequest request(String route, Fixture fixture, Map<String, String> query) {
        Route found = Routes.ALL.stream().filter(r -> r.toString().equals(route)).findFirst().orElseThrow();
        Caller caller = fixture.caller();
        return new ApiRequest(found, caller, Map.of("id", fixture.user().id()), query, Map.of(), new byte[0], "bench");
    }
}
