package com.trueftp.local.bench;

import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.trueftp.account.Account;
import com.trueftp.account.AccountRepository;
import com.trueftp.account.Plan;
import com.trueftp.auth.ApiKeyRepository;
import com.trueftp.auth.Scope;
import com.trueftp.core.Config;
import com.trueftp.core.Json;
import com.trueftp.local.LocalAws;
import com.trueftp.local.LocalGateway;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * (d) FTP users through the local gateway: creating 200 users (Argon2id hashing included), getting them,
 * and listing them 200 to a page.
 */
final class FtpUsersBench {
    static final int USERS = 200;
    static final int GETS = 1_000;
    static final int LISTS = 100;

    private final Clock clock;

    FtpUsersBench(Clock clock) {
        this.clock = clock;
    }

    Map<String, Object> run() throws Exception {
        System.out.printf("(d) FTP users through the local gateway (edge throttle off): %d creates, %d gets, "
                + "%d lists of %d per page, sequential, one keep-alive connection%n", USERS, GETS, LISTS, USERS);
        Map<String, Object> json = new LinkedHashMap<>();
        try (LocalAws aws = LocalAws.start(0, null)) {
            Map<String, String> settings = aws.settings();
            settings.forEach(System::setProperty);
            try (LocalGateway gateway = LocalGateway.start(0, Config.DEFAULT_AUTH_CACHE_TTL, LogLevel.WARN, false);
                 DynamoDbClient dynamo = aws.dynamoDb()) {
                Account account = new AccountRepository(dynamo, aws.config(), clock).create("bench users", Plan.BUSINESS);
                String token = new ApiKeyRepository(dynamo, aws.config(), clock).create(account.id(), "bench",
                        EnumSet.of(Scope.READ, Scope.WRITE), Bench.BENCH_RATE_LIMIT, null).token();
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                String base = gateway.baseUrl();

                List<String> ids = new ArrayList<>();
                long[] creates = new long[USERS];
                for (int i = 0; i < USERS; i++) {
                    String body = "{\"username\":\"bench-user-" + i + "\",\"password\":\"a-strong-secret\",\"can_write\":true}";
                    long started = System.nanoTime();
                    HttpResponse<String> response = send(http, base + "/ftp-users", token, "POST", body, 201);
                    creates[i] = System.nanoTime() - started;
                    ids.add((String) Json.readObject(response.body()).get("id"));
                }
                long[] gets = new long[GETS];
                for (int i = 0; i < GETS; i++) {
                    long started = System.nanoTime();
                    send(http, base + "/ftp-users/" + ids.get(i % USERS), token, "GET", null, 200);
                    gets[i] = System.nanoTime() - started;
                }
                long[] lists = new long[LISTS];
                for (int i = 0; i < LISTS; i++) {
                    long started = System.nanoTime();
                    HttpResponse<String> response = send(http, base + "/ftp-users?limit=" + USERS, token, "GET", null, 200);
                    lists[i] = System.nanoTime() - started;
                    if (((List<?>) Json.readObject(response.body()).get("data")).size() != USERS) {
                        throw new IllegalStateException("a page of " + USERS + " users was expected");
                    }
                }
                json.put("create", report("create", creates));
                json.put("get", report("get", gets));
                json.put("list_200", report("list 200", lists));
            } finally {
                settings.keySet().forEach(System::clearProperty);
            }
        }
        return json;
    }

    private static HttpResponse<String> send(HttpClient http, String url, String token, String method, String body,
                                             int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response;
    }

    private static Map<String, Object> report(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double p50 = Bench.ms(Bench.nearestRank(sorted, 50));
        double p99 = Bench.ms(Bench.nearestRank(sorted, 99));
        System.out.printf("    %-9s p50 %7.2f ms, p99 %7.2f ms (%d requests)%n", what, p50, p99, nanos.length);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("requests", nanos.length);
        json.put("p50_ms", Bench.round(p50, 3));
        json.put("p99_ms", Bench.round(p99, 3));
        return json;
    }
}
