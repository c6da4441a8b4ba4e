package com.trueftp.local;

import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.trueftp.core.Config;
import com.trueftp.emulators.Emulators;
import com.trueftp.events.Event;
import com.trueftp.events.EventType;
import com.trueftp.testing.Multipart;
import com.trueftp.testing.Eventually;
import com.trueftp.testing.TestGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dependency that stalls or goes down in the middle of a mixed workload (user creates and deletes, uploads,
 * file deletes, listings) through the local gateway: every request ends within the functions' time as what
 * it would be anyway or as 503 with Retry-After, the stack recovers without a restart, the FTP-user count and
 * its events are exact, and the storage count comes to what S3 holds (S3's notifications of what it carried out).
 */
class FaultsIT {
    /** A request answers within the functions' longest timeout (29 s) and API Gateway's integration limit. */
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final Set<Integer> EXPECTED = Set.of(200, 201, 204, 403, 404, 409, 503);

    @TempDir
    static Path data;
    static LocalRuntime runtime;
    static ApiClient client;
    static TestGraph state;

    enum Fault { DYNAMODB_FROZEN, S3_FROZEN, S3_DOWN }

    @BeforeAll
    static void start() throws Exception {
        runtime = LocalRuntime.start(0, data, Duration.ofSeconds(60), LogLevel.ERROR);
        client = new ApiClient(runtime.baseUrl(), data);
        state = TestGraph.of(runtime.aws().config());
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    /** One answer of the workload: what it was, its status, whether it said when to retry, how long it took. */
    record Outcome(String what, int status, boolean retryAfter, Duration took) {
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void aDependencyFailingMidWorkloadGets503sInBoundedTimeAndTheCountsStayExact(Fault fault) throws Exception {
        String account = (String) client.admin("create-account", "--plan", "business").json().get("id");
        String token = (String) client.admin("create-key", "--account", account, "--scopes", "read,write",
                "--rate-limit", "100000").json().get("token");
        String files = "/ftp-users/" + ApiClient.json(client.send("POST", "/ftp-users", token,
                "{\"username\":\"faulty\",\"password\":\"a-strong-secret\"}")).get("id") + "/files";

        List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger names = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(6);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 6; w++) {
            Random random = new Random(w);
            done.add(workers.submit(() -> {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                while (running.get()) {
                    outcomes.add(step(http, token, files, random, names));
                }
                return null;
            }));
        }
        Thread.sleep(1_500);
        set(fault, true);
        Thread.sleep(6_000);
        set(fault, false);
        Thread.sleep(3_000);
        running.set(false);
        for (Future<?> worker : done) {
            worker.get();
        }
        workers.shutdown();

        assertThat(outcomes).isNotEmpty().allSatisfy(o -> {
            assertThat(o.status()).as(o.toString()).isIn(EXPECTED);
            assertThat(o.took()).as(o.toString()).isLessThanOrEqualTo(BOUND);
            if (o.status() == 503) {
                assertThat(o.retryAfter()).as(o.toString()).isTrue();
            }
        });
        assertThat(outcomes).as("the fault was felt").anyMatch(o -> o.status() == 503);
        // Recovered without a restart: every kind of request works again.
        assertThat(client.get("/account", token).statusCode()).isEqualTo(200);
        assertThat(client.send("POST", "/ftp-users", token, "{\"username\":\"after\",\"password\":\"a-strong-secret\"}")
                .statusCode()).isEqualTo(201);
        assertThat(client.send("POST", files + "?path=/after.bin", token, Multipart.CONTENT_TYPE,
                Multipart.body("file", "a", new byte[10])).statusCode()).isEqualTo(201);

        long users = state.ftpUsers().list(account, 0, 1000).size();
        assertThat(state.accounts().get(account).ftpUsersUsed()).as("the user count").isEqualTo(users);
        List<Event> events = state.events().page(account, 0, 10_000).events();
        long created = events.stream().filter(e -> e.type() == EventType.FTP_USER_CREATED).count();
        long deleted = events.stream().filter(e -> e.type() == EventType.FTP_USER_DELETED).count();
        assertThat(created - deleted).as("one event per user change").isEqualTo(users);
        long held = state.s3().listObjectsV2Paginator(b -> b.bucket(runtime.aws().config().require(Config.FILES_BUCKET))
                .prefix(account + "/")).contents().stream().mapToLong(S3Object::size).sum();
        // Whatever S3 carried out, answered or not, its notification brings the count to what S3 holds.
        assertThat(Eventually.within(Duration.ofSeconds(10), () -> state.accounts().get(account).storageBytesUsed(), held))
                .as("the storage count").isEqualTo(held);
        System.out.println(fault + ": " + outcomes.size() + " requests, " + outcomes.stream()
                .filter(o -> o.status() == 503).count() + " answered 503");
    }

    private static void set(Fault fault, boolean on) throws Exception {
        Emulators.Faults faults = runtime.aws().faults();
        switch (fault) {
            case DYNAMODB_FROZEN -> faults.freezeDynamoDb(on);
            case S3_FROZEN -> faults.freezeS3(on);
            case S3_DOWN -> faults.stopS3(on);
        }
    }

    /** One request of the mix: a user created or deleted, a file uploaded or deleted, the folder listed. */
    private static Outcome step(HttpClient http, String token, String files, Random random, AtomicInteger names)
            throws Exception {
        String path = "/f" + random.nextInt(5) + ".bin";
        HttpRequest.Builder request = switch (random.nextInt(5)) {
            case 0 -> HttpRequest.newBuilder(uri("/ftp-users")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"user" + names.incrementAndGet()
                            + "\",\"password\":\"a-strong-secret\"}"));
            case 1 -> HttpRequest.newBuilder(uri("/ftp-users?limit=1")).GET();
            case 2 -> HttpRequest.newBuilder(uri(files + "?path=" + path)).header("Content-Type", Multipart.CONTENT_TYPE)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Multipart.body("file", "f",
                            new byte[1 + random.nextInt(4000)])));
            case 3 -> HttpRequest.newBuilder(uri(files + "?path=" + path)).DELETE();
            default -> HttpRequest.newBuilder(uri(files + "?path=/")).GET();
        };
        HttpRequest built = request.header("Authorization", "Bearer " + token).timeout(BOUND.plusSeconds(5)).build();
        long began = System.nanoTime();
        HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
        return new Outcome(built.method() + " " + built.uri().getPath(), response.statusCode(),
                response.headers().firstValue("Retry-After").isPresent(), Duration.ofNanos(System.nanoTime() - began));
    }

    private static URI uri(String path) {
        return URI.create(runtime.baseUrl() + path);
    }
}
