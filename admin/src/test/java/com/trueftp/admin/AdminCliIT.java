package com.trueftp.admin;

import com.trueftp.account.AccountStatus;
import com.trueftp.account.Plan;
import com.trueftp.auth.ApiToken;
import com.trueftp.aws.AwsModule;
import com.trueftp.aws.Tables;
import com.trueftp.core.Config;
import com.trueftp.core.Json;
import com.trueftp.stack.LocalSettings;
import com.trueftp.stack.LocalStackFile;
import com.trueftp.testing.AwsUnderTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static com.trueftp.admin.Outcome.NL;
import static org.assertj.core.api.Assertions.assertThat;

/** The admin commands on the emulators' tables, with API Gateway's usage plans kept in memory. */
class AdminCliIT {
    private static final AwsUnderTest AWS = AwsUnderTest.emulators();
    private static final Instant NOW = Instant.parse("2026-03-02T10:00:00.250Z");

    private final FakeEdgeKeys edge = new FakeEdgeKeys();
    private Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    private Outcome admin(String... args) {
        return Outcome.of((data, stack) -> new AdminTarget(AWS.config(), AwsModule.dynamoDbBuilder(AWS.config()).build(),
                edge, clock), args);
    }

    /** The one pretty JSON object a command that succeeded printed. */
    private Map<String, Object> ok(String... args) {
        Outcome outcome = admin(args);
        assertThat(outcome.stderr()).isEmpty();
        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.stdout()).isEqualTo(Json.pretty(outcome.json()) + NL);
        return outcome.json();
    }

    private String newAccount(String plan) {
        return (String) ok("create-account", "--plan", plan).get("id");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> keysByName(String account) {
        return ((List<Map<String, Object>>) ok("list-keys", "--account", account).get("data")).stream()
                .collect(Collectors.toMap(k -> (String) k.get("name"), k -> k));
    }

    private static void assertRefused(Outcome outcome, int exitCode, String message) {
        assertThat(outcome.exitCode()).isEqualTo(exitCode);
        assertThat(outcome.stdout()).isEmpty();
        assertThat(outcome.stderr()).startsWith("error: " + message + NL);
    }

    @Test
    void createAccountPrintsTheNewActiveAccount() {
        Map<String, Object> account = ok("create-account", "--plan", "pro", "--name", "Acme Ltd");

        assertThat(account).containsOnlyKeys("id", "name", "plan", "status", "created_at")
                .containsEntry("name", "Acme Ltd").containsEntry("plan", "pro").containsEntry("status", "active")
                .containsEntry("created_at", "2026-03-02T10:00:00.250Z");
        assertThat(AWS.accounts().find((String) account.get("id"))).hasValueSatisfying(a -> {
            assertThat(a.name()).isEqualTo("Acme Ltd");
            assertThat(a.plan()).isEqualTo(Plan.PRO);
        });
        assertThat(ok("create-account", "--plan", "free")).containsEntry("name", "Untitled account");
    }

    @Test
    void setAccountPrintsTheAccountWithItsNewPlanAndStatus() {
        String account = newAccount("pro");

        assertThat(ok("set-account", "--account", account, "--status", "suspended"))
                .containsOnlyKeys("id", "name", "plan", "status", "created_at")
                .containsEntry("id", account).containsEntry("plan", "pro").containsEntry("status", "suspended");
        assertThat(ok("set-account", "--account", account, "--plan", "business", "--status", "active"))
                .containsEntry("plan", "business").containsEntry("status", "active");
        assertThat(AWS.accounts().find(account)).hasValueSatisfying(a -> {
            assertThat(a.plan()).isEqualTo(Plan.BUSINESS);
            assertThat(a.status()).isEqualTo(AccountStatus.ACTIVE);
        });
    }

    @Test
    void createKeyShowsItsTokenOnceAndStoresOnlyTheTokensHash() {
        String account = newAccount("pro");

        Map<String, Object> key = ok("create-key", "--account", account, "--scopes", "read,write");

        assertThat(key).containsOnlyKeys("id", "token", "account_id", "name", "scopes", "rate_limit", "created_at",
                        "expires_at")
                .containsEntry("account_id", account).containsEntry("name", "default")
                .containsEntry("scopes", List.of("read", "write")).containsEntry("rate_limit", 1000)
                .containsEntry("created_at", "2026-03-02T10:00:00.250Z").containsEntry("expires_at", null);
        String token = (String) key.get("token");
        assertThat(token).startsWith(ApiToken.PREFIX);
        Map<String, AttributeValue> item = AWS.dynamo().getItem(b -> b.tableName(AWS.config()
                .require(Tables.API_KEYS.nameVariable())).key(Map.of("token_hash",
                AttributeValue.fromS(ApiToken.hash(token)))).consistentRead(true)).item();
        assertThat(item).containsEntry("id", AttributeValue.fromS((String) key.get("id")));
        assertThat(item.values()).as("the stored key").noneMatch(v -> v.toString().contains(token.substring(ApiToken.PREFIX.length())));
        assertThat(edge.planOf((String) key.get("id"))).as("its usage plan").contains(Plan.PRO);
    }

    @Test
    void listKeysShowsEachKeysStatusButNeverATokenOrAHash() {
        String account = newAccount("pro");
        String active = (String) ok("create-key", "--account", account, "--scopes", "read", "--name", "active")
                .get("token");
        Map<String, Object> revoked = ok("create-key", "--account", account, "--scopes", "write", "--name", "revoked");
        ok("revoke-key", "--key", (String) revoked.get("id"));
        String expired = (String) ok("create-key", "--account", account, "--scopes", "read", "--name", "expired",
                "--expires-in", "1").get("token");
        clock = Clock.offset(clock, Duration.ofSeconds(2));

        Outcome list = admin("list-keys", "--account", account);

        assertThat(list.stdout()).doesNotContain(active.substring(ApiToken.PREFIX.length()))
                .doesNotContain(((String) revoked.get("token")).substring(ApiToken.PREFIX.length()))
                .doesNotContain(expired.substring(ApiToken.PREFIX.length())).doesNotContain("hash");
        Map<String, Map<String, Object>> keys = keysByName(account);
        assertThat(keys).containsOnlyKeys("active", "revoked", "expired");
        assertThat(keys.values()).allSatisfy(k -> assertThat(k).containsOnlyKeys("id", "account_id", "name", "scopes",
                "rate_limit", "status", "created_at", "expires_at", "revoked_at"));
        assertThat(keys.get("active")).containsEntry("status", "active").containsEntry("revoked_at", null);
        assertThat(keys.get("revoked")).containsEntry("status", "revoked").containsEntry("id", revoked.get("id"));
        assertThat(keys.get("expired")).containsEntry("status", "expired");
    }

    @Test
    void revokeKeyPrintsTheRevokedKeyAndTakesItOutOfItsUsagePlan() {
        String account = newAccount("pro");
        Map<String, Object> key = ok("create-key", "--account", account, "--scopes", "read");
        String id = (String) key.get("id");
        clock = Clock.offset(clock, Duration.ofMinutes(5));

        Map<String, Object> revoked = ok("revoke-key", "--key", id);

        assertThat(revoked).containsEntry("id", id).containsEntry("status", "revoked")
                .containsEntry("revoked_at", "2026-03-02T10:05:00.250Z").doesNotContainKey("token");
        assertThat(edge.planOf(id)).isEmpty();
        assertThat(AWS.graph().apiKeys().findByToken((String) key.get("token")))
                .hasValueSatisfying(k -> assertThat(k.revokedAt()).isNotNull());
    }

    @Test
    void rateLimitIsAWholeNumberUpToThePlansMaximum() {
        String account = newAccount("pro");

        for (String wrong : List.of("0", "10001", "ten", "-5")) {
            assertRefused(admin("create-key", "--account", account, "--scopes", "read", "--rate-limit", wrong), 2,
                    "--rate-limit must be a whole number from 1 to 10000, got " + wrong);
        }
        assertThat(ok("create-key", "--account", account, "--scopes", "read", "--rate-limit", "10000"))
                .containsEntry("rate_limit", 10000);
        assertThat(keysByName(account).values()).as("only the valid key was created").hasSize(1);
    }

    @Test
    void expiresInIsRoundedUpToTheSecondAndAtMost3650Days() {
        String account = newAccount("pro");

        assertThat(ok("create-key", "--account", account, "--scopes", "read", "--expires-in", "60"))
                .containsEntry("expires_at", "2026-03-02T10:01:01.000Z");
        assertThat(ok("create-key", "--account", account, "--scopes", "read", "--expires-in", "315360000"))
                .containsEntry("expires_at", Json.timestamp(Instant.parse("2026-03-02T10:00:01Z").plus(Duration.ofDays(3650))));
        for (String wrong : List.of("0", "315360001")) {
            assertRefused(admin("create-key", "--account", account, "--scopes", "read", "--expires-in", wrong), 2,
                    "--expires-in must be a whole number from 1 to 315360000, got " + wrong);
        }
    }

    @Test
    void planChangeCapsKeyRateLimitsAndMovesLiveKeysToTheNewPlansUsagePlan() {
        String account = newAccount("business");
        String fast = (String) ok("create-key", "--account", account, "--scopes", "read", "--name", "fast",
                "--rate-limit", "50000").get("id");
        String slow = (String) ok("create-key", "--account", account, "--scopes", "read", "--name", "slow",
                "--rate-limit", "500").get("id");
        String gone = (String) ok("create-key", "--account", account, "--scopes", "read", "--name", "gone").get("id");
        ok("revoke-key", "--key", gone);
        assertThat(edge.planOf(fast)).contains(Plan.BUSINESS);

        assertThat(ok("set-account", "--account", account, "--plan", "pro")).containsEntry("plan", "pro");

        Map<String, Map<String, Object>> keys = keysByName(account);
        assertThat(keys.get("fast")).containsEntry("rate_limit", 10000);
        assertThat(keys.get("slow")).containsEntry("rate_limit", 500);
        assertThat(edge.planOf(fast)).contains(Plan.PRO);
        assertThat(edge.planOf(slow)).contains(Plan.PRO);
        assertThat(edge.planOf(gone)).as("a revoked key stays out of every usage plan").isEmpty();
    }

    @Test
    void keyIsRevokedWhenItCannotBeAttachedToItsUsagePlan() {
        String account = newAccount("pro");
        edge.failAttaching(new IllegalStateException("API key quota reached"));

        Outcome outcome = admin("create-key", "--account", account, "--scopes", "read", "--name", "orphan");

        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.stdout()).as("no token shown").isEmpty();
        assertThat(outcome.stderr()).isEqualTo("error: could not attach the key to the pro usage plan, so it was "
                + "revoked: API key quota reached" + NL);
        assertThat(keysByName(account).get("orphan")).containsEntry("status", "revoked");
    }

    @Test
    void commandsOnAMissingAccountOrKeyAreRefusedWithExitCode1() {
        assertRefused(admin("set-account", "--account", "acc_nope", "--plan", "pro"), 1, "no such account: acc_nope");
        assertRefused(admin("create-key", "--account", "acc_nope", "--scopes", "read"), 1, "no such account: acc_nope");
        assertRefused(admin("list-keys", "--account", "acc_nope"), 1, "no such account: acc_nope");
        assertRefused(admin("revoke-key", "--key", "key_nope"), 1, "no such key: key_nope");
    }

    @Test
    void wrongValuesAreRefusedWithExitCode2AndChangeNothing() {
        String account = newAccount("pro");

        assertRefused(admin("create-account", "--plan", "gold"), 2, "--plan must be free, pro or business, got gold");
        assertRefused(admin("set-account", "--account", account, "--status", "paused"), 2,
                "--status must be active or suspended, got paused");
        assertRefused(admin("set-account", "--account", account), 2, "set-account needs --plan or --status");
        assertRefused(admin("create-key", "--account", account, "--scopes", "admin"), 2,
                "--scopes must be read, write or read,write, got admin");
        assertRefused(admin("create-key", "--account", account, "--scopes", "read,"), 2,
                "--scopes must be read, write or read,write, got read,");
        assertRefused(admin("create-key", "--account", account, "--scopes", "read", "--name", "k".repeat(201)), 2,
                "--name must be 1 to 200 characters");
        assertThat(keysByName(account)).isEmpty();
        assertThat(AWS.accounts().find(account)).hasValueSatisfying(a -> assertThat(a.status()).isEqualTo(AccountStatus.ACTIVE));
    }

    @Test
    void dataDirectoryLeadsToTheLocalStackRunningThere(@TempDir Path data) throws Exception {
        new LocalStackFile("http://127.0.0.1:1/api/ext/v1", ProcessHandle.current().pid(), LocalSettings.of(
                AWS.config().require(Config.DYNAMODB_ENDPOINT), AWS.config().require(Config.S3_ENDPOINT),
                AWS.config().require(Config.SQS_ENDPOINT), "secret"))
                .write(data);

        Outcome outcome = Outcome.of(AdminTarget::open, "--data", data.toString(), "create-account", "--plan", "pro");

        assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
        assertThat(AWS.accounts().find((String) outcome.json().get("id"))).isPresent();
    }
}
