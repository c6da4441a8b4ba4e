package com.trueftp.local;

import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The API as a client sees it: real HTTP through the local gateway, provisioned with the admin CLI. */
class ApiEndToEndIT {
    /** Short, so that revocation and plan changes show within a test; AWS uses 60 s by default. */
    static final Duration AUTH_CACHE_TTL = Duration.ofSeconds(1);

    @TempDir
    static Path data;
    static LocalRuntime runtime;
    static ApiClient client;

    @BeforeAll
    static void start() throws Exception {
        runtime = LocalRuntime.start(0, data, AUTH_CACHE_TTL, LogLevel.WARN);
        client = new ApiClient(runtime.baseUrl(), data);
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    private static void assertJsonError(HttpResponse<String> response, int status, String error) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(ApiClient.json(response)).isEqualTo(Map.of("error", error));
    }

    @Test
    void readmeWalkThroughCreatesAnAccountAndAKeyAndReadsTheAccount() throws Exception {
        Map<String, Object> account = client.admin("create-account", "--plan", "pro", "--name", "Acme").json();
        assertThat(account).containsEntry("plan", "pro").containsEntry("status", "active").containsEntry("name", "Acme")
                .containsKeys("id", "created_at");
        Map<String, Object> key = client.admin("create-key", "--account", (String) account.get("id"),
                "--scopes", "read,write").json();
        assertThat((String) key.get("token")).matches("tftp_[A-Za-z0-9]{32}");
        assertThat(key).containsEntry("scopes", List.of("read", "write")).containsEntry("rate_limit", 1000)
                .containsEntry("expires_at", null);

        HttpResponse<String> response = client.get("/account", (String) key.get("token"));

        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Object> body = ApiClient.json(response);
        assertThat(body).containsEntry("id", account.get("id")).containsEntry("plan", "pro")
                .containsEntry("created_at", account.get("created_at"));
        assertThat(body.get("quotas")).isEqualTo(Map.of("ftp_users", Map.of("used", 0, "limit", 25),
                "storage_bytes", Map.of("used", 0, "limit", 100L * 1024 * 1024 * 1024)));
        assertThat(body.get("rate_limit")).isEqualTo(Map.of("limit", 1000, "window_seconds", 3600));
        assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
    }

    @Test
    void missingMalformedOrUnknownTokensAre401() throws Exception {
        assertJsonError(client.get("/account", null), 401, "missing, invalid or expired token");
        assertJsonError(client.get("/account", "Bearer nope"), 401, "missing, invalid or expired token");
        assertJsonError(client.get("/account", "Basic dXNlcjpwYXNz"), 401, "missing, invalid or expired token");
        assertJsonError(client.get("/account", "tftp_abcdefghijklmnopqrstuvwxyzABCDEF"), 401,
                "missing, invalid or expired token");
    }

    @Test
    void unknownRouteIs404AndWrongMethodIs405() throws Exception {
        String token = client.newKey("pro", "read,write");
        assertJsonError(client.get("/nope", token), 404, "no such endpoint");
        assertJsonError(client.get("/account/extra", token), 404, "no such endpoint");
        HttpResponse<String> wrongMethod = client.send("DELETE", "/account", token, null);
        assertJsonError(wrongMethod, 405, "method DELETE not allowed on /api/ext/v1/account");
        assertThat(wrongMethod.headers().firstValue("Allow")).contains("GET");
    }

    @Test
    void theOpenApiDocumentIsServedWithoutAToken() throws Exception {
        HttpResponse<String> response = client.get("/openapi.json", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(response)).containsEntry("openapi", "3.1.0").containsKey("paths");
        assertThat(response.headers().firstValue("X-RateLimit-Limit")).isEmpty();
    }

    @Test
    void writeOnlyKeyCannotRead() throws Exception {
        assertJsonError(client.get("/account", client.newKey("business", "write")), 403, "missing required scope: read");
    }

    @Test
    void freePlanAndSuspendedAccountsAreRefusedWithTheReason() throws Exception {
        assertJsonError(client.get("/account", client.newKey("free", "read")), 403,
                "the REST API is available on paid plans only (this account is on the free plan)");

        String account = (String) client.admin("create-account", "--plan", "pro").json().get("id");
        String token = (String) client.admin("create-key", "--account", account, "--scopes", "read").json().get("token");
        assertThat(client.get("/account", token).statusCode()).isEqualTo(200);
        assertThat(client.admin("set-account", "--account", account, "--status", "suspended").json())
                .containsEntry("status", "suspended");
        Thread.sleep(AUTH_CACHE_TTL.toMillis() + 200); // the authorizer result is cached for the TTL
        assertJsonError(client.get("/account", token), 403, "account suspended: contact support to reactivate it");
    }

    @Test
    void revokedKeyStopsWorkingOnceTheAuthorizerCacheExpires() throws Exception {
        String account = (String) client.admin("create-account", "--plan", "pro").json().get("id");
        Map<String, Object> key = client.admin("create-key", "--account", account, "--scopes", "read").json();
        String token = (String) key.get("token");
        assertThat(client.get("/account", token).statusCode()).isEqualTo(200);

        assertThat(client.admin("revoke-key", "--key", (String) key.get("id")).json()).containsEntry("status", "revoked");
        Thread.sleep(AUTH_CACHE_TTL.toMillis() + 200);
        assertJsonError(client.get("/account", token), 401, "missing, invalid or expired token");
    }

    @Test
    void expiredKeyIs401() throws Exception {
        String account = (String) client.admin("create-account", "--plan", "pro").json().get("id");
        java.time.Instant before = java.time.Instant.now();
        Map<String, Object> key = client.admin("create-key", "--account", account, "--scopes", "read",
                "--expires-in", "1").json();
        java.time.Instant expiresAt = java.time.Instant.parse((String) key.get("expires_at"));
        assertThat(expiresAt).as("never earlier than asked").isAfterOrEqualTo(before.plusSeconds(1));
        Thread.sleep(Math.max(0, java.time.Duration.between(java.time.Instant.now(), expiresAt).toMillis()) + 100);
        assertJsonError(client.get("/account", (String) key.get("token")), 401, "missing, invalid or expired token");
    }

    @Test
    void oversizeBodyIs413() throws Exception {
        String token = client.newKey("pro", "read");
        assertJsonError(client.send("GET", "/account", token, "x".repeat(70_000)), 413,
                "request body too large: at most 65536 bytes");
    }

    @Test
    void listKeysNeverShowsTokensOrHashes() throws Exception {
        String account = (String) client.admin("create-account", "--plan", "pro").json().get("id");
        String token = (String) client.admin("create-key", "--account", account, "--scopes", "read", "--name", "ci")
                .json().get("token");
        ApiClient.AdminResult list = client.admin("list-keys", "--account", account);
        assertThat(list.exitCode()).isZero();
        assertThat(list.stdout()).doesNotContain(token).doesNotContain(token.substring(5)).doesNotContain("hash");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> keys = (List<Map<String, Object>>) list.json().get("data");
        assertThat(keys).singleElement().satisfies(k -> assertThat(k).containsEntry("name", "ci")
                .containsEntry("status", "active").doesNotContainKey("token"));
    }

    @Test
    void keyRateLimitsStayWithinThePlansMaximum() throws Exception {
        String account = (String) client.admin("create-account", "--plan", "pro").json().get("id");
        assertThat(client.admin("create-key", "--account", account, "--scopes", "read", "--rate-limit", "0").stderr())
                .contains("--rate-limit must be a whole number from 1 to 10000");
        assertThat(client.admin("create-key", "--account", account, "--scopes", "read", "--rate-limit", "10001").stderr())
                .contains("--rate-limit must be a whole number from 1 to 10000");
        assertThat(client.admin("create-key", "--account", account, "--scopes", "read", "--rate-limit", "10000").json())
                .containsEntry("rate_limit", 10000);
    }

    @Test
    void adminCommandsSayWhatIsWrong() {
        assertThat(client.admin("create-account", "--plan", "gold")).satisfies(r -> {
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.stderr()).contains("--plan must be free, pro or business, got gold");
            assertThat(r.stdout()).isEmpty();
        });
        assertThat(client.admin("create-key", "--account", "acc_nope", "--scopes", "read").stderr())
                .contains("no such account: acc_nope");
        assertThat(client.admin("create-key", "--account", "acc_nope", "--scopes", "admin").stderr())
                .contains("--scopes must be read, write or read,write");
        assertThat(client.admin("set-account", "--account", "acc_nope").stderr()).contains("needs --plan or --status");
        assertThat(client.admin("revoke-key", "--key", "key_nope").exitCode()).isEqualTo(1);
        assertThat(client.admin("frobnicate").stderr()).contains("unknown command frobnicate");
        assertThat(client.admin("create-account", "--plan").stderr()).contains("--plan needs a value");
    }

    @Test
    void everyAuthenticatedResponseCountsDownAndTheLimitAnswers429WithRetryAfter() throws Exception {
        String account = (String) client.admin("create-account", "--plan", "pro").json().get("id");
        String token = (String) client.admin("create-key", "--account", account, "--scopes", "read",
                "--rate-limit", "3").json().get("token");
        String other = (String) client.admin("create-key", "--account", account, "--scopes", "read",
                "--rate-limit", "3").json().get("token");

        HttpResponse<String> first = client.get("/account", token);
        HttpResponse<String> error = client.send("DELETE", "/account", token, null);
        HttpResponse<String> third = client.get("/account", token);
        HttpResponse<String> refused = client.get("/account", token);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("X-RateLimit-Limit")).contains("3");
        assertThat(first.headers().firstValue("X-RateLimit-Remaining")).contains("2");
        assertThat(error.statusCode()).isEqualTo(405);
        assertThat(error.headers().firstValue("X-RateLimit-Remaining")).contains("1");
        assertThat(third.headers().firstValue("X-RateLimit-Remaining")).contains("0");
        assertJsonError(refused, 429, "rate limit exceeded: 3 requests per hour");
        assertThat(refused.headers().firstValue("X-RateLimit-Remaining")).contains("0");
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        long reset = Long.parseLong(refused.headers().firstValue("X-RateLimit-Reset").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 3600L);
        assertThat(reset % 3600).as("the window ends on the hour").isZero();

        assertThat(client.get("/account", other).headers().firstValue("X-RateLimit-Remaining"))
                .as("another key of the same account has its own count").contains("2");
    }

    @Test
    void ftpUsersAsAClientUsesThem() throws Exception {
        String account = (String) client.admin("create-account", "--plan", "pro").json().get("id");
        String token = (String) client.admin("create-key", "--account", account, "--scopes", "read,write").json().get("token");

        // The reference's curl example, verbatim.
        HttpResponse<String> created = client.send("POST", "/ftp-users", token,
                "{\"username\":\"pipeline\",\"password\":\"a-strong-secret\",\"can_write\":true}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain("a-strong-secret");
        String id = (String) ApiClient.json(created).get("id");

        assertThat(ApiClient.json(client.get("/ftp-users/" + id, token))).containsEntry("username", "pipeline");
        Map<String, Object> list = ApiClient.json(client.get("/ftp-users?limit=10", token));
        assertThat(list).containsEntry("total", 1).containsEntry("limit", 10).containsEntry("offset", 0);
        assertThat(ApiClient.json(client.get("/account", token)).get("quotas"))
                .isEqualTo(Map.of("ftp_users", Map.of("used", 1, "limit", 25),
                        "storage_bytes", Map.of("used", 0, "limit", 100L * 1024 * 1024 * 1024)));

        HttpResponse<String> updated = client.send("PUT", "/ftp-users/" + id, token, "{\"enabled\":false}");
        assertThat(ApiClient.json(updated)).containsEntry("enabled", false);

        assertJsonError(client.get("/ftp-users?limit=500", token), 400, "limit must be a whole number from 1 to 200, got 500");
        assertJsonError(client.send("POST", "/ftp-users", token, "{\"username\":\"pipeline\",\"password\":\"a-strong-secret\"}"),
                409, "an ftp user named pipeline already exists");
        assertJsonError(client.send("PATCH", "/ftp-users/" + id, token, "{}"), 405,
                "method PATCH not allowed on /api/ext/v1/ftp-users/" + id);

        String readOnly = (String) client.admin("create-key", "--account", account, "--scopes", "read").json().get("token");
        assertJsonError(client.send("DELETE", "/ftp-users/" + id, readOnly, null), 403, "missing required scope: write");

        HttpResponse<String> deleted = client.send("DELETE", "/ftp-users/" + id, token, null);
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertJsonError(client.get("/ftp-users/" + id, token), 404, "ftp user not found");
        assertThat(ApiClient.json(client.get("/ftp-users", token))).containsEntry("total", 0);

        Map<String, Object> events = ApiClient.json(client.get("/events?limit=2&offset=0", token));
        assertThat(events).containsEntry("total", 3).containsEntry("limit", 2);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> newest = (List<Map<String, Object>>) events.get("data");
        assertThat(newest).extracting(e -> e.get("type")).containsExactly("ftp_user.deleted", "ftp_user.updated");
        assertThat(newest.get(0)).containsEntry("ftp_user_id", id).containsEntry("username", "pipeline")
                .containsEntry("source", "api");
        assertJsonError(client.get("/events?offset=x", token), 400, "offset must be a whole number of at least 0, got x");
    }

    @Test
    void concurrentRequestsOverHttpNeverExceedTheHourlyLimit() throws Exception {
        String account = (String) client.admin("create-account", "--plan", "business").json().get("id");
        String token = (String) client.admin("create-key", "--account", account, "--scopes", "read",
                "--rate-limit", "10").json().get("token");
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            calls.add(client.sendAsync("GET", "/account", token));
        }
        Map<Integer, Long> byStatus = new java.util.TreeMap<>();
        for (var call : calls) {
            byStatus.merge(call.get(60, java.util.concurrent.TimeUnit.SECONDS).statusCode(), 1L, Long::sum);
        }
        assertThat(byStatus).isEqualTo(Map.of(200, 10L, 429, 20L));
    }

    @Test
    void theEdgeThrottlesABurstBeyondThePlansLimitWithRetryAfter() throws Exception {
        String token = client.newKey("free", "read"); // free: 2 per second, burst 4
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            calls.add(client.sendAsync("GET", "/account", token));
        }
        List<HttpResponse<String>> throttled = new java.util.ArrayList<>();
        for (var call : calls) {
            HttpResponse<String> response = call.get(60, java.util.concurrent.TimeUnit.SECONDS);
            if (response.statusCode() == 429) {
                throttled.add(response);
            } else {
                // What got through reached the API, which refuses the free plan itself.
                assertThat(response.statusCode()).isEqualTo(403);
            }
        }
        assertThat(throttled).isNotEmpty();
        for (HttpResponse<String> response : throttled) {
            assertThat(ApiClient.json(response)).isEqualTo(Map.of("error", "rate limit exceeded"));
            assertThat(response.headers().firstValue("Retry-After")).contains("1");
            assertThat(response.headers().firstValue("X-RateLimit-Remaining")).as("never reached the API").isEmpty();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRetriedUploadUrlWithItsIdempotencyKeyHoldsTheBytesOnce() throws Exception {
        String token = client.newKey("pro", "read,write");
        String user = (String) ApiClient.json(client.send("POST", "/ftp-users", token,
                "{\"username\":\"retrier\",\"password\":\"a-strong-secret\"}")).get("id");
        String path = "/ftp-users/" + user + "/files/upload-url?path=/big.bin&size=104857600";
        Map<String, String> key = Map.of("Idempotency-Key", "nightly-2026-11-29");

        HttpResponse<String> first = client.send("POST", path, token, null, key);
        HttpResponse<String> retried = client.send("POST", path, token, null, key);
        HttpResponse<String> other = client.send("POST", path.replace("big.bin", "other.bin"), token, null, key);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(retried.statusCode()).isEqualTo(201);
        assertThat(retried.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(retried.body()).isEqualTo(first.body());
        assertJsonError(other, 422, "this Idempotency-Key was used for a different request in the last 24 hours: "
                + "use a new key for a new request");
        // Held once: the rest of the plan still fits, and not a byte more.
        long rest = com.trueftp.account.Plan.PRO.storageBytesLimit() - 104_857_600L;
        assertThat(client.send("POST", path.replace("big.bin", "rest.bin").replace("104857600", Long.toString(rest)),
                token, null).statusCode()).isEqualTo(201);
        assertThat(client.send("POST", path.replace("big.bin", "more.bin").replace("104857600", "1"), token, null)
                .statusCode()).isEqualTo(403);
    }

    @Test
    void aFileUploadedAsMultipartComesBackByteForByteThroughTheDownloadRedirect() throws Exception {
        String token = client.newKey("pro", "read,write");
        String user = (String) ApiClient.json(client.send("POST", "/ftp-users", token,
                "{\"username\":\"files\",\"password\":\"a-strong-secret\"}")).get("id");
        byte[] content = new byte[300_000];
        new java.util.Random(7).nextBytes(content); // every byte value: survives only a binary-safe path

        HttpResponse<String> uploaded = client.send("POST", "/ftp-users/" + user + "/files?path=/in/d%C3%A9j%C3%A0%20vu.bin",
                token, ApiClient.MULTIPART_TYPE, ApiClient.multipartFile("déjà vu.bin", content));
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        assertThat(ApiClient.json(uploaded)).containsEntry("path", "/in/déjà vu.bin").containsEntry("size", content.length);

        Map<String, Object> listed = ApiClient.json(client.get("/ftp-users/" + user + "/files?path=/in/", token));
        assertThat(listed).containsEntry("next_cursor", null).containsEntry("limit", 100);
        assertThat((List<?>) listed.get("data")).hasSize(1);

        HttpResponse<byte[]> downloaded = client.download("/ftp-users/" + user + "/files/download?path=/in/d%C3%A9j%C3%A0%20vu.bin", token);
        assertThat(downloaded.statusCode()).isEqualTo(200);
        assertThat(downloaded.body()).isEqualTo(content);
        assertThat(downloaded.headers().firstValue("Content-Disposition")).hasValueSatisfying(v ->
                assertThat(v).startsWith("attachment; filename=\"d_j_ vu.bin\"").contains("UTF-8''d%C3%A9j%C3%A0%20vu.bin"));

        Map<String, Object> account = ApiClient.json(client.get("/account", token));
        assertThat(account.get("quotas")).asString().contains("used=" + content.length);
        assertThat(client.send("DELETE", "/ftp-users/" + user + "/files?path=/in/", token, null).statusCode()).isEqualTo(204);
        assertThat(client.get("/ftp-users/" + user + "/files?path=/in/", token).statusCode()).isEqualTo(404);
        assertThat(ApiClient.json(client.get("/events?limit=4", token)).get("data")).asString()
                .contains("type=folder.deleted", "type=file.downloaded", "type=file.uploaded");
    }

    @Test
    void bodiesTooLargeForTheApiAre413NamingTheUploadUrlEndpoint() throws Exception {
        String token = client.newKey("pro", "read,write");
        String user = (String) ApiClient.json(client.send("POST", "/ftp-users", token,
                "{\"username\":\"big\",\"password\":\"a-strong-secret\"}")).get("id");

        // Over the files endpoint's 4 MiB, within Lambda's 6 MB: the function answers.
        HttpResponse<String> overApiLimit = client.send("POST", "/ftp-users/" + user + "/files?path=/a.bin", token,
                ApiClient.MULTIPART_TYPE, ApiClient.multipartFile("a.bin", new byte[4 * 1024 * 1024 + 1]));
        assertThat(overApiLimit.statusCode()).isEqualTo(413);
        assertThat((String) ApiClient.json(overApiLimit).get("error")).contains("upload-url");

        // Over Lambda's 6 MB once base64-encoded: the gateway answers.
        HttpResponse<String> overLambdaLimit = client.send("POST", "/ftp-users/" + user + "/files?path=/a.bin", token,
                ApiClient.MULTIPART_TYPE, ApiClient.multipartFile("a.bin", new byte[5 * 1024 * 1024]));
        assertThat(overLambdaLimit.statusCode()).isEqualTo(413);
        assertThat((String) ApiClient.json(overLambdaLimit).get("error")).contains("upload-url");
        assertThat(ApiClient.json(client.get("/ftp-users/" + user + "/files?path=/", token)).get("data")).isEqualTo(List.of());
    }
}
