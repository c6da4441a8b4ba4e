package com.trueftp.functions.account;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.trueftp.account.Account;
import com.trueftp.account.AccountRepository;
import com.trueftp.account.Plan;
import com.trueftp.core.Config;
import com.trueftp.core.Json;
import com.trueftp.core.RandomIds;
import com.trueftp.testing.AwsUnderTest;
import com.trueftp.testing.SampleEvents;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The account function fed sample events, against a real DynamoDB API; subclasses choose which one. */
abstract class AccountHandlerContract {
    private AccountHandler handler;
    private AccountRepository accounts;

    abstract AwsUnderTest aws();

    @BeforeEach
    void setUp() {
        AwsUnderTest aws = aws();
        handler = new AccountHandler(DaggerAccountComponent.factory().create(aws.config()));
        accounts = new AccountRepository(aws.dynamo(), aws.config(), Clock.systemUTC());
    }

    /** A sample event whose caller is the given account. */
    private static APIGatewayProxyRequestEvent sample(String name, String accountId) {
        APIGatewayProxyRequestEvent event = SampleEvents.load("account/" + name, APIGatewayProxyRequestEvent.class);
        if (event.getRequestContext().getAuthorizer() != null) {
            event.getRequestContext().getAuthorizer().put("accountId", accountId);
        }
        return event;
    }

    private static Map<String, Object> body(APIGatewayProxyResponseEvent response) throws Exception {
        return Json.readObject(response.getBody());
    }

    @Test
    void getAccountShowsTheAccountItsQuotasAndTheKeysRateLimit() throws Exception {
        Account account = accounts.create("Acme Ltd", Plan.BUSINESS);

        APIGatewayProxyResponseEvent response = handler.handleRequest(sample("get-account.json", account.id()), null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders()).containsEntry("X-Request-Id", "c6af9ac6-7b61-11e6-9a41-93e8deadbeef");
        Map<String, Object> body = body(response);
        assertThat(body).containsEntry("id", account.id()).containsEntry("name", "Acme Ltd")
                .containsEntry("plan", "business").containsEntry("status", "active")
                .containsEntry("created_at", com.trueftp.core.Json.timestamp(account.createdAt()));
        assertThat(body.get("quotas")).isEqualTo(Map.of(
                "ftp_users", Map.of("used", 0, "limit", 250),
                "storage_bytes", Map.of("used", 0, "limit", 1024L * 1024 * 1024 * 1024)));
        assertThat(body.get("rate_limit")).isEqualTo(Map.of("limit", 1000, "window_seconds", 3600));
    }

    @Test
    void planChangeShowsAtOnce() throws Exception {
        Account account = accounts.create("Acme", Plan.PRO);
        accounts.update(account.id(), Plan.BUSINESS, null);
        Map<String, Object> body = body(handler.handleRequest(sample("get-account.json", account.id()), null));
        assertThat(body).containsEntry("plan", "business");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "post-account.json, 405, method POST not allowed on /api/ext/v1/account",
            "get-account-write-only-key.json, 403, missing required scope: read",
            "get-account-free-plan.json, 403, the REST API is available on paid plans only (this account is on the free plan)",
            "get-account-suspended.json, 403, account suspended: contact support to reactivate it",
            "get-account-no-authorizer-context.json, 401, 'missing, invalid or expired token'",
            "get-unknown-resource.json, 404, no such endpoint: /api/ext/v1/accounts"})
    void refusedRequestsGetTheirStatusAndAJsonError(String sample, int status, String error) throws Exception {
        Account account = accounts.create("Acme", Plan.PRO);
        APIGatewayProxyResponseEvent response = handler.handleRequest(sample(sample, account.id()), null);
        assertThat(response.getStatusCode()).isEqualTo(status);
        assertThat(body(response)).isEqualTo(Map.of("error", error));
    }

    @Test
    void unknownAccountIs404() throws Exception {
        APIGatewayProxyResponseEvent response = handler.handleRequest(sample("get-account.json", "acc_doesnotexist000000"), null);
        assertThat(response.getStatusCode()).isEqualTo(404);
        assertThat(body(response)).isEqualTo(Map.of("error", "account not found"));
    }

    @Test
    void unreachableDynamoDbIs503JsonNotAHang() throws Exception {
        Config down = AwsUnderTest.unreachable();
        AccountHandler cut = new AccountHandler(DaggerAccountComponent.factory().create(down));
        APIGatewayProxyResponseEvent response = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> cut.handleRequest(sample("get-account.json", "acc_whatever000000000000"), null));
        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(response.getHeaders()).containsKey("Retry-After");
        assertThat(body(response)).containsOnlyKeys("error");
    }

    @Test
    void stalledDynamoDbIs503WithinTheClientTimeoutsNotAHang() throws Exception {
        AccountHandler cut = new AccountHandler(DaggerAccountComponent.factory().create(AwsUnderTest.unresponsive()));
        long started = System.nanoTime();
        APIGatewayProxyResponseEvent response = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> cut.handleRequest(sample("get-account.json", "acc_whatever000000000000"), null));
        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(response.getHeaders()).containsKey("Retry-After");
        // Bounded by the SDK's call timeout, not by the test's guard.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void responsesCarryTheRateLimitHeaders() {
        Account account = accounts.create("Acme", Plan.PRO);
        APIGatewayProxyRequestEvent event = sample("get-account.json", account.id());
        event.getRequestContext().getAuthorizer().put("keyId", RandomIds.newId("key"));
        APIGatewayProxyResponseEvent first = handler.handleRequest(event, null);
        APIGatewayProxyResponseEvent second = handler.handleRequest(event, null);
        assertThat(first.getHeaders()).containsEntry("X-RateLimit-Limit", "1000").containsEntry("X-RateLimit-Remaining", "999")
                .containsKey("X-RateLimit-Reset");
        assertThat(second.getHeaders()).containsEntry("X-RateLimit-Remaining", "998");
    }

    @Test
    void concurrentRequestsNeverExceedTheLimit() throws Exception {
        Account account = accounts.create("Acme", Plan.PRO);
        int limit = 20;
        int requests = 60;
        String keyId = RandomIds.newId("key");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> statuses = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            statuses.add(pool.submit(() -> {
                APIGatewayProxyRequestEvent event = sample("get-account.json", account.id());
                event.getRequestContext().getAuthorizer().put("keyId", keyId);
                event.getRequestContext().getAuthorizer().put("rateLimit", Integer.toString(limit));
                start.await();
                return handler.handleRequest(event, null).getStatusCode();
            }));
        }
        start.countDown();
        Map<Integer, Long> byStatus = new TreeMap<>();
        for (Future<Integer> status : statuses) {
            byStatus.merge(status.get(60, TimeUnit.SECONDS), 1L, Long::sum);
        }
        pool.shutdown();
        assertThat(byStatus).isEqualTo(Map.of(200, (long) limit, 429, (long) (requests - limit)));
    }
}
