package com.trueftp.functions.sftpauth;

import com.trueftp.account.AccountRepository;
import com.trueftp.account.AccountStatus;
import com.trueftp.account.Plan;
import com.trueftp.aws.AwsModule;
import com.trueftp.aws.Tables;
import com.trueftp.core.Config;
import com.trueftp.core.Json;
import com.trueftp.ftpuser.FtpUser;
import com.trueftp.ftpuser.FtpUserLogins;
import com.trueftp.ftpuser.FtpUserRepository;
import com.trueftp.ftpuser.PasswordHasher;
import com.trueftp.ftpuser.SshPublicKey;
import com.trueftp.sftp.LoginAttempts;
import com.trueftp.sftp.SftpLogins;
import com.trueftp.stack.LocalSettings;
import com.trueftp.testing.AwsUnderTest;
import com.trueftp.testing.SettableClock;
import com.trueftp.testing.SshKeys;
import com.trueftp.testing.TestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The identity provider the SFTP server asks, on the emulators, fed Transfer Family's requests (events-samples/
 * sftp-auth): who gets in, with what home and policy, and that every refusal is the same empty answer.
 */
class SftpAuthHandlerIT {
    private static final String PASSWORD = "correct-horse-battery-staple";
    private static final Instant START = Instant.parse("2026-12-08T10:00:00Z");

    @TempDir
    Path keys;
    private AwsUnderTest aws;
    private SettableClock clock;
    private SftpAuthHandler handler;
    private String account;
    private FtpUser user;

    @BeforeEach
    void setUp() {
        aws = AwsUnderTest.emulators();
        clock = new SettableClock(START);
        handler = new SftpAuthHandler(new SftpLogins(new FtpUserLogins(aws.dynamo(), aws.config()), aws.accounts(),
                new LoginAttempts(aws.dynamo(), aws.config()), clock, aws.config()), aws.config());
        account = aws.accounts().create("Acme", Plan.PRO).id();
        user = createUser("pipeline", true, "/inbox/", List.of());
    }

    private FtpUser createUser(String username, boolean canWrite, String home, List<SshPublicKey> keys) {
        return aws.ftpUsers().create(account, new FtpUserRepository.NewUser(username, PasswordHasher.hash(PASSWORD),
                canWrite, true, home, null, keys), 25);
    }

    @Test
    void aPasswordLoginGetsTheHomeFolderAsRootTheRoleAndAPolicyForThatFolder() throws IOException {
        Map<String, Object> answer = handler.handleRequest(sample("password-login.json", user), new TestContext());

        String home = account + "/" + user.id() + "/inbox/";
        assertThat(answer).containsEntry("Role", LocalSettings.SFTP_SESSION_ROLE_ARN)
                .containsEntry("HomeDirectoryType", "LOGICAL").doesNotContainKey("PublicKeys");
        assertThat(details(answer)).isEqualTo(List.of(
                Map.of("Entry", "/", "Target", "/" + LocalSettings.FILES_BUCKET + "/" + account + "/" + user.id() + "/inbox")));
        Map<String, Object> policy = Json.readObject((String) answer.get("Policy"));
        assertThat(statements(policy)).containsOnlyKeys("ListHome", "ReadHome", "WriteHome");
        assertThat(statements(policy).get("ListHome")).containsEntry("Action", "s3:ListBucket")
                .containsEntry("Resource", "arn:aws:s3:::" + LocalSettings.FILES_BUCKET)
                .containsEntry("Condition", Map.of("StringLike", Map.of("s3:prefix", List.of(home, home + "*"))));
        assertThat(statements(policy).get("ReadHome"))
                .containsEntry("Action", List.of("s3:GetObject", "s3:GetObjectVersion"))
                .containsEntry("Resource", "arn:aws:s3:::" + LocalSettings.FILES_BUCKET + "/" + home + "*");
        assertThat(statements(policy).get("WriteHome"))
                .containsEntry("Action", List.of("s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"))
                .containsEntry("Resource", "arn:aws:s3:::" + LocalSettings.FILES_BUCKET + "/" + home + "*");
        assertThat(((String) answer.get("Policy")).length()).isLessThan(2048);
        assertThat(aws.ftpUsers().find(account, user.id()).orElseThrow().lastLoginAt()).isEqualTo(START);
    }

    /** Wired as on Lambda, with only what the stack puts in the function's environment (no other table). */
    @Test
    void theComponentWiredHandlerNeedsOnlyItsOwnTablesBucketAndRole() throws IOException {
        Map<String, String> environment = new HashMap<>();
        for (String name : List.of(Config.REGION, Config.ACCESS_KEY_ID, Config.SECRET_ACCESS_KEY,
                Config.DYNAMODB_ENDPOINT, Tables.FTP_USERS.nameVariable(), Tables.ACCOUNTS.nameVariable(),
                Config.FILES_BUCKET, Config.SFTP_SESSION_ROLE_ARN)) {
            environment.put(name, aws.config().require(name));
        }
        SftpAuthHandler wired = new SftpAuthHandler(Config.of(environment));
        assertThat(wired.handleRequest(sample("password-login.json", user), new TestContext())).containsKey("Role");
        assertThat(wired.handleRequest(sample("ftps-password-login.json", user), new TestContext())).containsKey("Role");
    }

    @Test
    void aReadOnlyUserGetsNoWriteStatement() throws IOException {
        FtpUser reader = createUser("reader", false, "/", List.of());
        Map<String, Object> answer = handler.handleRequest(sample("password-login.json", reader), new TestContext());
        assertThat(statements(Json.readObject((String) answer.get("Policy")))).containsOnlyKeys("ListHome", "ReadHome");
        assertThat(details(answer)).isEqualTo(List.of(
                Map.of("Entry", "/", "Target", "/" + LocalSettings.FILES_BUCKET + "/" + account + "/" + reader.id())));
    }

    @Test
    void anAccountAtItsStorageQuotaLogsInReadOnly() throws IOException {
        setStorageUsed(Plan.PRO.storageBytesLimit());
        Map<String, Object> full = handler.handleRequest(sample("password-login.json", user), new TestContext());
        assertThat(statements(Json.readObject((String) full.get("Policy")))).containsOnlyKeys("ListHome", "ReadHome");

        setStorageUsed(Plan.PRO.storageBytesLimit() - 1);
        Map<String, Object> room = handler.handleRequest(sample("password-login.json", user), new TestContext());
        assertThat(statements(Json.readObject((String) room.get("Policy")))).containsKey("WriteHome");
    }

    @ParameterizedTest
    @CsvSource({"ed25519,0", "ecdsa,256", "ecdsa,384", "ecdsa,521", "rsa,3072"})
    void aKeyLoginGetsTheUsersKeysToMatchTheOfferedOneAgainst(String type, int bits) throws IOException {
        SshPublicKey key = SshPublicKey.parse(SshKeys.generate(keys, type, bits).publicLine(), "key");
        SshPublicKey other = SshPublicKey.parse(SshKeys.generate(keys, "ed25519", 0).publicLine(), "key");
        FtpUser withKeys = createUser("keyed-" + type + bits, true, "/", List.of(other, key));

        Map<String, Object> answer = handler.handleRequest(sample("key-login.json", withKeys), new TestContext());

        assertThat(answer).containsEntry("PublicKeys", List.of(other.keyOnly(), key.keyOnly()))
                .containsEntry("HomeDirectoryType", "LOGICAL").containsKey("Policy");
    }

    @Test
    void aKeyLoginOfAUserWithoutKeysIsRefusedAndCountsNoFailure() throws IOException {
        assertThat(handler.handleRequest(sample("key-login.json", user), new TestContext())).isEmpty();
        assertThat(failures(user)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"wrong-password.json", "unknown-login.json", "malformed-login.json",
            "username-without-account.json", "key-over-ftps.json", "empty-event.json"})
    void refusedRequestsGetTheEmptyAnswer(String file) throws IOException {
        FtpUser withKey = createUser("keyed", true, "/", List.of(
                SshPublicKey.parse(SshKeys.generate(keys, "ed25519", 0).publicLine(), "key")));
        assertThat(handler.handleRequest(sample("refused/" + file, withKey), new TestContext())).isEmpty();
        assertThat(aws.ftpUsers().find(account, withKey.id()).orElseThrow().lastLoginAt()).isNull();
    }

    @Test
    void aDisabledUserIsRefusedEvenWithTheRightPasswordOrAKey() throws IOException {
        FtpUser withKey = createUser("keyed", true, "/", List.of(
                SshPublicKey.parse(SshKeys.generate(keys, "ecdsa", 256).publicLine(), "key")));
        aws.ftpUsers().update(account, withKey.id(), new FtpUserRepository.Changes(null, null, false, null, null, null));
        assertThat(handler.handleRequest(sample("password-login.json", withKey), new TestContext())).isEmpty();
        assertThat(handler.handleRequest(sample("key-login.json", withKey), new TestContext())).isEmpty();
    }

    @Test
    void aSuspendedAccountsUsersAreRefused() throws IOException {
        aws.accounts().update(account, null, AccountStatus.SUSPENDED);
        assertThat(handler.handleRequest(sample("password-login.json", user), new TestContext())).isEmpty();
        aws.accounts().update(account, null, AccountStatus.ACTIVE);
        assertThat(handler.handleRequest(sample("password-login.json", user), new TestContext())).isNotEmpty();
    }

    @Test
    void tenFailuresIn15MinutesLockTheLoginFor15MinutesEvenForTheRightPassword() throws IOException {
        for (int i = 0; i < 10; i++) {
            assertThat(handler.handleRequest(sample("refused/wrong-password.json", user), new TestContext())).isEmpty();
            clock.advance(Duration.ofSeconds(30));
        }
        assertThat(handler.handleRequest(sample("password-login.json", user), new TestContext())).isEmpty();
        clock.advance(Duration.ofMinutes(14));
        assertThat(handler.handleRequest(sample("password-login.json", user), new TestContext())).isEmpty();

        clock.advance(Duration.ofMinutes(1)); // 15 minutes after the tenth failure
        assertThat(handler.handleRequest(sample("password-login.json", user), new TestContext())).isNotEmpty();
        assertThat(failures(user)).isZero();
    }

    @Test
    void failuresSpreadOverMoreThan15MinutesNeverLock() throws IOException {
        for (int i = 0; i < 15; i++) {
            assertThat(handler.handleRequest(sample("refused/wrong-password.json", user), new TestContext())).isEmpty();
            clock.advance(Duration.ofMinutes(2)); // at most 8 in any 15 minutes
        }
        assertThat(handler.handleRequest(sample("password-login.json", user), new TestContext())).isNotEmpty();
    }

    @Test
    void aLoginResetsTheCountOfFailures() throws IOException {
        for (int i = 0; i < 9; i++) {
            handler.handleRequest(sample("refused/wrong-password.json", user), new TestContext());
        }
        assertThat(failures(user)).isEqualTo(9);
        assertThat(handler.handleRequest(sample("password-login.json", user), new TestContext())).isNotEmpty();
        assertThat(failures(user)).isZero();
        handler.handleRequest(sample("refused/wrong-password.json", user), new TestContext());
        assertThat(handler.handleRequest(sample("password-login.json", user), new TestContext())).isNotEmpty();
    }

    /** Anyone may ask for a user's keys (the server checks the key after): that must not clear the failures. */
    @Test
    void askingForTheKeysNeitherResetsNorBypassesTheLockout() throws IOException {
        FtpUser withKey = createUser("keyed", true, "/", List.of(
                SshPublicKey.parse(SshKeys.generate(keys, "ed25519", 0).publicLine(), "key")));
        for (int i = 0; i < 9; i++) {
            handler.handleRequest(sample("refused/wrong-password.json", withKey), new TestContext());
        }
        assertThat(handler.handleRequest(sample("key-login.json", withKey), new TestContext())).containsKey("PublicKeys");
        assertThat(failures(withKey)).isEqualTo(9);
        handler.handleRequest(sample("refused/wrong-password.json", withKey), new TestContext());
        assertThat(handler.handleRequest(sample("key-login.json", withKey), new TestContext())).isEmpty();
        assertThat(handler.handleRequest(sample("password-login.json", withKey), new TestContext())).isEmpty();
    }

    @Test
    void lastLoginAtIsWrittenAtMostOnceAMinute() throws IOException {
        handler.handleRequest(sample("password-login.json", user), new TestContext());
        clock.advance(Duration.ofSeconds(59));
        handler.handleRequest(sample("password-login.json", user), new TestContext());
        assertThat(aws.ftpUsers().find(account, user.id()).orElseThrow().lastLoginAt()).isEqualTo(START);
        clock.advance(Duration.ofSeconds(1));
        handler.handleRequest(sample("password-login.json", user), new TestContext());
        assertThat(aws.ftpUsers().find(account, user.id()).orElseThrow().lastLoginAt())
                .isEqualTo(START.plusSeconds(60));
    }

    /**
     * Refusals cannot be told apart by their time because each kind does the same work: the same DynamoDB calls in
     * the same order (recorded here exactly) and one password check (each kind's median time is at least most of
     * one check: a refusal that skipped it would take a few milliseconds). How close the times come is measured
     * in the benchmark (k): a shared machine's noise is no test's business.
     */
    @Test
    void everyKindOfPasswordRefusalDoesTheSameWork() throws IOException {
        List<String> calls = new CopyOnWriteArrayList<>();
        DynamoDbClient recorded = AwsModule.dynamoDbBuilder(aws.config())
                .overrideConfiguration(AwsModule.overrides().toBuilder().addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                        calls.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
                    }
                }).build()).build();
        SftpAuthHandler counted = new SftpAuthHandler(new SftpLogins(new FtpUserLogins(recorded, aws.config()),
                new AccountRepository(recorded, aws.config(), clock), new LoginAttempts(recorded, aws.config()), clock,
                aws.config()), aws.config());
        FtpUser disabled = createUser("disabled", true, "/", List.of());
        aws.ftpUsers().update(account, disabled.id(), new FtpUserRepository.Changes(null, null, false, null, null, null));
        Map<String, Map<String, Object>> kinds = new LinkedHashMap<>();
        kinds.put("wrong password", sample("refused/wrong-password.json", user));
        kinds.put("unknown login", sample("refused/unknown-login.json", user));
        kinds.put("malformed login", sample("refused/malformed-login.json", user));
        kinds.put("disabled user", sample("password-login.json", disabled));
        List<String> names = new ArrayList<>(kinds.keySet());
        Map<String, List<Long>> nanos = new HashMap<>();
        List<Long> checks = new ArrayList<>();
        for (int round = 0; round < 9; round++) {
            clock.advance(Duration.ofMinutes(16)); // never locked: each round is a new window
            Collections.rotate(names, 1); // no kind always first or last in its round
            for (String kind : names) {
                calls.clear();
                long start = System.nanoTime();
                assertThat(counted.handleRequest(kinds.get(kind), new TestContext())).isEmpty();
                nanos.computeIfAbsent(kind, k -> new ArrayList<>()).add(System.nanoTime() - start);
                assertThat(calls).as(kind).containsExactly("GetItem", "GetItem", "GetItem", "UpdateItem");
            }
            long start = System.nanoTime();
            PasswordHasher.verify("x", user.passwordHash());
            checks.add(System.nanoTime() - start);
        }
        double check = median(checks) / 1e6;
        nanos.forEach((kind, times) -> assertThat(median(times) / 1e6)
                .as("%s: median ms against one password check of %.1f ms", kind, check)
                .isGreaterThan(0.7 * check));
    }

    private static double median(List<Long> values) {
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    private void setStorageUsed(long bytes) {
        aws.dynamo().updateItem(u -> u.tableName(aws.config().require(Tables.ACCOUNTS.nameVariable()))
                .key(Map.of("id", AttributeValue.fromS(account)))
                .updateExpression("SET storage_bytes_used = :b")
                .expressionAttributeValues(Map.of(":b", AttributeValue.fromN(Long.toString(bytes)))));
    }

    private long failures(FtpUser whose) {
        Map<String, AttributeValue> item = aws.dynamo().getItem(g -> g.tableName(aws.config().require(
                Tables.FTP_USERS.nameVariable())).consistentRead(true)
                .key(FtpUserRepository.usernameKey(account, whose.username()))).item();
        return item.containsKey("failed_logins") ? Long.parseLong(item.get("failed_logins").n()) : 0;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> statements(Map<String, Object> policy) {
        Map<String, Map<String, Object>> bySid = new HashMap<>();
        for (Object statement : (List<Object>) policy.get("Statement")) {
            Map<String, Object> s = (Map<String, Object>) statement;
            assertThat(s).containsEntry("Effect", "Allow");
            bySid.put((String) s.get("Sid"), s);
        }
        return bySid;
    }

    /** A Transfer Family request of events-samples/sftp-auth, for this user and the password all users here have. */
    private static Map<String, Object> sample(String file, FtpUser user) throws IOException {
        try (InputStream in = SftpAuthHandlerIT.class.getResourceAsStream("/events/sftp-auth/" + file)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("{login}", user.login().toString()).replace("{password}", PASSWORD);
            return Json.readObject(text);
        }
    }

    /** The home mapping, a JSON list inside a string as Transfer Family wants it. */
    private static Object details(Map<String, Object> answer) throws IOException {
        return Json.readObject("{\"details\": " + answer.get("HomeDirectoryDetails") + "}").get("details");
    }
}
