package com.trueftp.functions.account;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Events;
import com.amazonaws.services.lambda.runtime.tests.annotations.HandlerParams;
import com.amazonaws.services.lambda.runtime.tests.annotations.Responses;
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

import static com.trueftp.testing.SampleEvents.asCaller;
import static com.trueftp.testing.SampleEvents.json;
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
        accounts = aws.accounts();
    }

    /** GET /account from a caller of the account. */
    private static APIGatewayProxyRequestEvent sample(String accountId) {
        return SampleEvents.request("account/get-account.json", accountId);
    }

    @Test
    void getAccountShowsTheAccountItsQuotasAndTheKeysRateLimit() throws Exception {
        Account account = accounts.create("Acme Ltd", Plan.BUSINESS);

        APIGatewayProxyResponseEvent response = handler.handleRequest(sample(account.id()), null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders()).containsEntry("X-Request-Id", "c6af9ac6-7b61-11e6-9a41-93e8deadbeef");
        Map<String, Object> body = json(response);
        assertThat(body).containsEntry("id", account.id()).containsEntry("name", "Acme Ltd")
                .containsEntry("plan", "business").containsEntry("status", "active")
                .containsEntry("created_at", Json.timestamp(account.createdAt()));
        assertThat(body.get("quotas")).isEqualTo(Map.of(
                "ftp_users", Map.of("used", 0, "limit", 250),
                "storage_bytes", Map.of("used", 0, "limit", 1024L * 1024 * 1024 * 1024)));
        assertThat(body.get("rate_limit")).isEqualTo(Map.of("limit", 1000, "window_seconds", 3600));
    }

    @Test
    void planChangeShowsAtOnce() throws Exception {
        Account account = accounts.create("Acme", Plan.PRO);
        accounts.update(account.id(), Plan.BUSINESS, null);
        Map<String, Object> body = json(handler.handleRequest(sample(account.id()), null));
        assertThat(body).containsEntry("plan", "business");
    }

    /** Each sample of account/refused/ is answered as the file of the same name in account/refused-answers/ says. */
    @ParameterizedTest
    @HandlerParams(
            events = @Events(folder = "events/account/refused", type = APIGatewayProxyRequestEvent.class),
            responses = @Responses(folder = "events/account/refused-answers", type = APIGatewayProxyResponseEvent.class))
    void refusedRequestsGetTheirStatusAndAJsonError(APIGatewayProxyRequestEvent event,
                                                    APIGatewayProxyResponseEvent expected) {
        Account account = accounts.create("Acme", Plan.PRO);
        APIGatewayProxyResponseEvent response = handler.handleRequest(asCaller(event, account.id()), null);
        assertThat(response.getStatusCode()).isEqualTo(expected.getStatusCode());
        assertThat(response.getHeaders()).containsAllEntriesOf(expected.getHeaders());
        assertThat(json(response)).isEqualTo(json(expected));
    }

    @Test
    void unknownAccountIs404() throws Exception {
        APIGatewayProxyResponseEvent response = handler.handleRequest(sample("acc_doesnotexist000000"), null);
        assertThat(response.getStatusCode()).isEqualTo(404);
        assertThat(json(response)).isEqualTo(Map.of("error", "account not found"));
    }

    @Test
    void unreachableDynamoDbIs503JsonNotAHang() throws Exception {
        Config down = AwsUnderTest.unreachable();
        AccountHandler cut = new AccountHandler(DaggerAccountComponent.factory().create(down));
        APIGatewayProxyResponseEvent response = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> cut.handleRequest(sample("acc_whatever000000000000"), null));
        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(response.getHeaders()).containsKey("Retry-After");
        assertThat(json(response)).containsOnlyKeys("error");
    }

    @Test
    void stalledDynamoDbIs503WithinTheClientTimeoutsNotAHang() throws Exception {
        AccountHandler cut = new AccountHandler(DaggerAccountComponent.factory().create(AwsUnderTest.unresponsive()));
        long started = System.nanoTime();
        APIGatewayProxyResponseEvent response = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> cut.handleRequest(sample("acc_whatever000000000000"), null));
        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(response.getHeaders()).containsKey("Retry-After");
        // Bounded by the SDK's call timeout, not by the test's guard.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void responsesCarryTheRateLimitHeaders() {
        Account account = accounts.create("Acme", Plan.PRO);
        APIGatewayProxyRequestEvent event = sample(account.id()); // a key of its own: counted from its first request
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
                APIGatewayProxyRequestEvent event = sample(account.id());
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
