package com.trueftp.functions.ftpusers;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.trueftp.account.AccountRepository;
import com.trueftp.account.Plan;
import com.trueftp.core.Config;
import com.trueftp.events.EventLog;
import com.trueftp.ftpuser.FtpUser;
import com.trueftp.ftpuser.PasswordHasher;
import com.trueftp.testing.AwsUnderTest;
import com.trueftp.testing.SampleEvents;
import com.trueftp.testing.SshKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static com.trueftp.testing.SampleEvents.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The ftp-users function fed sample events, against a real DynamoDB API; subclasses choose which one. */
abstract class FtpUsersHandlerContract {
    private static final String REFERENCE_BODY = "{\"username\":\"pipeline\",\"password\":\"a-strong-secret\",\"can_write\":true}";
    @TempDir
    Path keys;

    private AwsUnderTest aws;
    private FtpUsersHandler handler;
    private AccountRepository accounts;
    private String account;

    abstract AwsUnderTest aws();

    @BeforeEach
    void setUp() {
        aws = aws();
        handler = new FtpUsersHandler(DaggerFtpUsersComponent.factory().create(aws.config()));
        accounts = aws.accounts();
        account = accounts.create("Acme", Plan.PRO).id();
    }

    /** A sample event for the given account (a fresh key id, so rate limits never interfere). */
    private static APIGatewayProxyRequestEvent sample(String name, String accountId) {
        return SampleEvents.request("ftp-users/" + name, accountId);
    }

    private APIGatewayProxyResponseEvent create(String accountId, String body) {
        return handler.handleRequest(withJson(sample("create-ftp-user.json", accountId), body), null);
    }

    /** A JSON body as API Gateway passes it (application/json is a binary media type): base64. */
    private static APIGatewayProxyRequestEvent withJson(APIGatewayProxyRequestEvent event, String json) {
        return event.withBody(Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)))
                .withIsBase64Encoded(true);
    }

    private APIGatewayProxyResponseEvent onUser(String sample, String accountId, String userId) {
        APIGatewayProxyRequestEvent event = sample(sample, accountId);
        event.setPathParameters(Map.of("id", userId));
        event.setPath("/api/ext/v1/ftp-users/" + userId);
        return handler.handleRequest(event, null);
    }

    private long usersCounted(String accountId) {
        return accounts.find(accountId).orElseThrow().ftpUsersUsed();
    }

    @Test
    void referenceExampleCreatesAUserAndNeverShowsThePassword() throws Exception {
        APIGatewayProxyResponseEvent response = handler.handleRequest(sample("create-ftp-user.json", account), null);

        assertThat(response.getStatusCode()).isEqualTo(201);
        Map<String, Object> user = json(response);
        assertThat(user).containsEntry("username", "pipeline").containsEntry("can_write", true)
                .containsEntry("enabled", true).containsEntry("home_directory", "/")
                .containsEntry("last_login_at", null).containsKeys("id", "created_at", "updated_at")
                .doesNotContainKeys("password", "password_hash");
        assertThat(response.getBody()).doesNotContain("a-strong-secret").doesNotContain("argon2");
        assertThat(usersCounted(account)).isEqualTo(1);

        Map<String, Object> fetched = json(onUser("get-ftp-user.json", account, (String) user.get("id")));
        assertThat(fetched).isEqualTo(user);
    }

    @Test
    void aUserHasALoginUniqueAcrossAccountsAndKeysThatAreShownBack() throws Exception {
        String ed25519 = SshKeys.generate(keys, "ed25519", 0).publicLine();
        String ecdsa = SshKeys.generate(keys, "ecdsa", 384).publicLine();
        Map<String, Object> user = json(create(account, "{\"username\":\"pipeline\",\"password\":\"a-strong-secret\","
                + "\"ssh_public_keys\":[\"" + ed25519 + "\"]}"));
        assertThat(user).containsEntry("login", "pipeline." + account)
                .containsEntry("ssh_public_keys", List.of(ed25519));
        String other = accounts.create("Other", Plan.PRO).id();
        assertThat(json(create(other, REFERENCE_BODY))).containsEntry("login", "pipeline." + other)
                .containsEntry("ssh_public_keys", List.of());

        String id = (String) user.get("id");
        APIGatewayProxyRequestEvent replace = withJson(sample("update-ftp-user.json", account),
                "{\"ssh_public_keys\":[\"" + ecdsa + "\",\"" + ed25519 + "\"]}");
        replace.setPathParameters(Map.of("id", id));
        assertThat(json(handler.handleRequest(replace, null))).containsEntry("ssh_public_keys", List.of(ecdsa, ed25519));
        APIGatewayProxyRequestEvent clear = withJson(sample("update-ftp-user.json", account), "{\"ssh_public_keys\":[]}");
        clear.setPathParameters(Map.of("id", id));
        assertThat(json(handler.handleRequest(clear, null))).containsEntry("ssh_public_keys", List.of());
        assertThat(json(onUser("get-ftp-user.json", account, id))).containsEntry("ssh_public_keys", List.of());
    }

    @Test
    void aKeyThatIsNotAcceptedIs400NamingItAndCreatesNothing() throws Exception {
        String good = SshKeys.generate(keys, "ed25519", 0).publicLine();
        String weak = SshKeys.generate(keys, "rsa", 2048).publicLine();
        APIGatewayProxyResponseEvent refused = create(account, "{\"username\":\"pipeline\",\"password\":\"a-strong-secret\","
                + "\"ssh_public_keys\":[\"" + good + "\",\"" + weak + "\"]}");
        assertThat(refused.getStatusCode()).isEqualTo(400);
        assertThat(json(refused)).isEqualTo(Map.of("error",
                "ssh_public_keys[1] is an RSA key of 2048 bits: at least 3072 are needed"));
        for (String body : List.of("{\"ssh_public_keys\":\"" + good + "\"}", "{\"ssh_public_keys\":[42]}",
                "{\"ssh_public_keys\":[\"ssh-dss AAAA\"]}")) {
            APIGatewayProxyResponseEvent bad = create(account, body.replace("{", "{\"username\":\"pipeline\","
                    + "\"password\":\"a-strong-secret\","));
            assertThat(bad.getStatusCode()).as(body).isEqualTo(400);
            assertThat((String) json(bad).get("error")).as(body).startsWith("ssh_public_keys");
        }
        assertThat(usersCounted(account)).isZero();
    }

    @Test
    void passwordIsStoredAsAnArgon2idHashThatVerifies() throws Exception {
        String id = (String) json(create(account, REFERENCE_BODY)).get("id");
        String hash = aws.ftpUsers().find(account, id)
                .orElseThrow().passwordHash();
        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(PasswordHasher.verify("a-strong-secret", hash)).isTrue();
        assertThat(PasswordHasher.verify("a-strong-secreT", hash)).isFalse();
    }

    @Test
    void usernamesAreUniquePerAccountOnly() throws Exception {
        assertThat(create(account, REFERENCE_BODY).getStatusCode()).isEqualTo(201);
        APIGatewayProxyResponseEvent again = create(account, REFERENCE_BODY);
        assertThat(again.getStatusCode()).isEqualTo(409);
        assertThat(json(again)).isEqualTo(Map.of("error", "an ftp user named pipeline already exists"));
        assertThat(usersCounted(account)).isEqualTo(1);

        String other = accounts.create("Other", Plan.PRO).id();
        assertThat(create(other, REFERENCE_BODY).getStatusCode()).isEqualTo(201);
    }

    @Test
    void anotherAccountsUserAnswersLikeAnUnknownOne() throws Exception {
        String id = (String) json(create(account, REFERENCE_BODY)).get("id");
        String other = accounts.create("Other", Plan.PRO).id();
        for (String sample : List.of("get-ftp-user.json", "update-ftp-user.json", "delete-ftp-user.json")) {
            APIGatewayProxyResponseEvent foreign = onUser(sample, other, id);
            APIGatewayProxyResponseEvent unknown = onUser(sample, account, "ftp_doesnotexist000000000");
            assertThat(foreign.getStatusCode()).as(sample).isEqualTo(404);
            assertThat(foreign.getBody()).isEqualTo(unknown.getBody()).isEqualTo("{\"error\":\"ftp user not found\"}");
        }
        assertThat(json(onUser("get-ftp-user.json", account, id))).containsEntry("enabled", true);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"password\":\"a-strong-secret\"}|username is required",
            "{\"username\":\"pipeline\"}|password is required",
            "{\"username\":42,\"password\":\"a-strong-secret\"}|username must be a string",
            "{\"username\":\"ab\",\"password\":\"a-strong-secret\"}|username must be 3 to 64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or a digit",
            "{\"username\":\"-pipe\",\"password\":\"a-strong-secret\"}|username must be 3 to 64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or a digit",
            "{\"username\":\"Pipeline\",\"password\":\"a-strong-secret\"}|username must be 3 to 64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or a digit",
            "{\"username\":\"pipeline\",\"password\":\"short\"}|password must be 12 to 256 characters",
            "{\"username\":\"pipeline\",\"password\":\"a-strong-secret\",\"can_write\":\"yes\"}|can_write must be true or false",
            "{\"username\":\"pipeline\",\"password\":\"a-strong-secret\",\"enabled\":1}|enabled must be true or false",
            "{\"username\":\"pipeline\",\"password\":\"a-strong-secret\",\"home_directory\":\"data\"}|home_directory must start with /",
            "{\"username\":\"pipeline\",\"password\":\"a-strong-secret\",\"home_directory\":\"/a/../b\"}|home_directory must not contain . or .. segments",
            "{\"username\":\"pipeline\",\"password\":\"a-strong-secret\",\"admin\":true}|unknown field: admin (allowed: can_write, description, enabled, home_directory, password, ssh_public_keys, username)",
            "[1,2]|request body is not a valid JSON object",
            "{\"username\":\"pipeline\",|request body is not a valid JSON object"})
    void badCreateRequestsAre400AndCreateNothing(String body, String error) throws Exception {
        APIGatewayProxyResponseEvent response = create(account, body);
        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(json(response)).isEqualTo(Map.of("error", error));
        assertThat(usersCounted(account)).isZero();
        assertThat(aws.ftpUsers().list(account, 0, 10)).as("no user item written").isEmpty();
    }

    @Test
    void unpairedSurrogatesThatStorageWouldMangleAre400() throws Exception {
        String lone = "\\ud800".repeat(12);
        assertThat(json(create(account, "{\"username\":\"pipeline\",\"password\":\"" + lone + "\"}")))
                .isEqualTo(Map.of("error", "password must be valid Unicode text"));
        assertThat(json(create(account, "{\"username\":\"pipeline\",\"password\":\"a-strong-secret\","
                + "\"home_directory\":\"/a\\u0085b\"}")))
                .isEqualTo(Map.of("error", "home_directory must not contain control characters"));
        assertThat(usersCounted(account)).isZero();
    }

    @Test
    void idsThatCannotBeOursAreNotFoundWhateverTheirLength() throws Exception {
        for (String id : List.of("x".repeat(1100), "ftp_", "../etc", "ftp_0000000000000000000%")) {
            APIGatewayProxyResponseEvent response = onUser("get-ftp-user.json", account, id);
            assertThat(response.getStatusCode()).as(id).isEqualTo(404);
            assertThat(onUser("delete-ftp-user.json", account, id).getStatusCode()).isEqualTo(404);
        }
    }

    @Test
    void anOffsetPastTheEndIsAnEmptyPage() throws Exception {
        create(account, REFERENCE_BODY);
        APIGatewayProxyRequestEvent event = sample("list-ftp-users.json", account);
        event.setQueryStringParameters(Map.of("limit", "200", "offset", Integer.toString(Integer.MAX_VALUE)));
        Map<String, Object> page = json(handler.handleRequest(event, null));
        assertThat(page).containsEntry("data", List.of()).containsEntry("total", 1);
    }

    @Test
    void anUpdateWithNothingToChangeIs400() throws Exception {
        String id = (String) json(create(account, REFERENCE_BODY)).get("id");
        for (String body : List.of("{}", "{\"username\":\"pipeline\"}")) {
            APIGatewayProxyRequestEvent event = withJson(sample("update-ftp-user.json", account), body);
            event.setPathParameters(Map.of("id", id));
            APIGatewayProxyResponseEvent response = handler.handleRequest(event, null);
            assertThat(response.getStatusCode()).as(body).isEqualTo(400);
            assertThat((String) json(response).get("error")).startsWith("nothing to change");
        }
        APIGatewayProxyRequestEvent nullPassword = withJson(sample("update-ftp-user.json", account), "{\"password\":null}");
        nullPassword.setPathParameters(Map.of("id", id));
        assertThat(json(handler.handleRequest(nullPassword, null))).isEqualTo(Map.of("error", "password must be a string"));
    }

    @Test
    void listPagesInCreationOrderWithTheExactTotal() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add((String) json(create(account, "{\"username\":\"user" + i + "\",\"password\":\"a-strong-secret\"}")).get("id"));
        }
        Map<String, Object> page = json(handler.handleRequest(sample("list-ftp-users.json", account), null));
        assertThat(page).containsEntry("limit", 2).containsEntry("offset", 1).containsEntry("total", 4);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> data = (List<Map<String, Object>>) page.get("data");
        assertThat(data).extracting(u -> u.get("id")).containsExactly(ids.get(1), ids.get(2));

        APIGatewayProxyRequestEvent all = sample("list-ftp-users.json", account);
        all.setQueryStringParameters(null);
        Map<String, Object> defaults = json(handler.handleRequest(all, null));
        assertThat(defaults).containsEntry("limit", 50).containsEntry("offset", 0).containsEntry("total", 4);
    }

    @ParameterizedTest(name = "limit={0} offset={1}")
    @CsvSource(delimiter = '|', value = {
            "0|0|limit must be a whole number from 1 to 200, got 0",
            "201|0|limit must be a whole number from 1 to 200, got 201",
            "ten|0|limit must be a whole number from 1 to 200, got ten",
            "5|-1|offset must be a whole number of at least 0, got -1",
            "5|1.5|offset must be a whole number of at least 0, got 1.5",
            "+5|0|limit must be a whole number from 1 to 200, got +5"})
    void badPagingIs400(String limit, String offset, String error) throws Exception {
        APIGatewayProxyRequestEvent event = sample("list-ftp-users.json", account);
        event.setQueryStringParameters(Map.of("limit", limit, "offset", offset));
        APIGatewayProxyResponseEvent response = handler.handleRequest(event, null);
        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(json(response)).isEqualTo(Map.of("error", error));
    }

    @Test
    void updateChangesOnlyWhatItSendsAndKeepsTheUsername() throws Exception {
        Map<String, Object> user = json(create(account, REFERENCE_BODY));
        String id = (String) user.get("id");
        Map<String, Object> updated = json(onUser("update-ftp-user.json", account, id));
        assertThat(updated).containsEntry("can_write", false).containsEntry("enabled", false)
                .containsEntry("description", "nightly export").containsEntry("username", "pipeline")
                .containsEntry("created_at", user.get("created_at"));

        APIGatewayProxyRequestEvent rename = withJson(sample("update-ftp-user.json", account), "{\"username\":\"other\"}");
        rename.setPathParameters(Map.of("id", id));
        APIGatewayProxyResponseEvent renamed = handler.handleRequest(rename, null);
        assertThat(renamed.getStatusCode()).isEqualTo(400);
        assertThat(json(renamed)).isEqualTo(Map.of("error", "username cannot be changed"));

        APIGatewayProxyRequestEvent unknown = withJson(sample("update-ftp-user.json", account), "{\"quota\":5}");
        unknown.setPathParameters(Map.of("id", id));
        assertThat(handler.handleRequest(unknown, null).getStatusCode()).isEqualTo(400);

        APIGatewayProxyRequestEvent same = withJson(sample("update-ftp-user.json", account),
                "{\"username\":\"pipeline\",\"password\":\"another-long-secret\",\"description\":null}");
        same.setPathParameters(Map.of("id", id));
        Map<String, Object> changed = json(handler.handleRequest(same, null));
        assertThat(changed).containsEntry("description", null);
        String hash = aws.ftpUsers().find(account, id)
                .orElseThrow().passwordHash();
        assertThat(PasswordHasher.verify("another-long-secret", hash)).isTrue();
    }

    @Test
    void deleteRemovesTheUserAndFreesItsNameAndQuota() throws Exception {
        String id = (String) json(create(account, REFERENCE_BODY)).get("id");
        APIGatewayProxyResponseEvent deleted = onUser("delete-ftp-user.json", account, id);
        assertThat(deleted.getStatusCode()).isEqualTo(204);
        assertThat(deleted.getBody()).isNull();
        assertThat(onUser("get-ftp-user.json", account, id).getStatusCode()).isEqualTo(404);
        assertThat(onUser("delete-ftp-user.json", account, id).getStatusCode()).isEqualTo(404);
        assertThat(usersCounted(account)).isZero();
        assertThat(create(account, REFERENCE_BODY).getStatusCode()).isEqualTo(201);
    }

    @Test
    void deletingAUserDeletesItsFilesAndFreesTheirStorageButNoOtherUsersFiles() throws Exception {
        String id = (String) json(create(account, REFERENCE_BODY)).get("id");
        String other = (String) json(create(account, "{\"username\":\"other\",\"password\":\"a-strong-secret\"}")).get("id");
        String bucket = aws.config().require(Config.FILES_BUCKET);
        for (int i = 0; i < 3; i++) {
            String key = account + "/" + id + "/dir" + i + "/f.txt";
            aws.s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("12345"));
        }
        String kept = account + "/" + other + "/f.txt";
        aws.s3().putObject(b -> b.bucket(bucket).key(kept), RequestBody.fromString("12"));
        aws.recordFileChanges(); // on record once S3's notifications are
        assertThat(accounts.find(account).orElseThrow().storageBytesUsed()).isEqualTo(17);

        assertThat(onUser("delete-ftp-user.json", account, id).getStatusCode()).isEqualTo(204);

        assertThat(aws.s3().listObjectsV2(b -> b.bucket(bucket).prefix(account + "/")).contents())
                .extracting(S3Object::key).containsExactly(kept);
        assertThat(accounts.find(account).orElseThrow().storageBytesUsed()).isEqualTo(2);
    }

    @Test
    void quotaHoldsExactlyUnderConcurrentCreates() throws Exception {
        int limit = Plan.PRO.ftpUserLimit();
        int free = 4;
        // Start near the limit (as if 21 users existed), then race more creates than places left.
        aws.dynamo().updateItem(b -> b.tableName(aws.config().require("ACCOUNTS_TABLE"))
                .key(Map.of("id", AttributeValue.fromS(account)))
                .updateExpression("SET ftp_users_used = :used")
                .expressionAttributeValues(Map.of(":used", AttributeValue.fromN(Integer.toString(limit - free)))));
        Map<Integer, Long> statuses = concurrently(free + 6, i -> () ->
                create(account, "{\"username\":\"u" + i + "x\",\"password\":\"a-strong-secret\"}").getStatusCode());
        assertThat(statuses).isEqualTo(Map.of(201, (long) free, 403, 6L));
        assertThat(usersCounted(account)).isEqualTo(limit);
        APIGatewayProxyResponseEvent over = create(account, "{\"username\":\"onemore\",\"password\":\"a-strong-secret\"}");
        assertThat(json(over)).isEqualTo(Map.of("error", "ftp user quota reached (25)"));
    }

    @Test
    void fortyCreatesAndThenFortyDeletesAtOnceInOneAccountAreNeverUnavailable() throws Exception {
        int limit = Plan.PRO.ftpUserLimit();
        Map<Integer, Long> created = concurrently(40, i ->
                () -> create(account, "{\"username\":\"provisioned" + i + "\",\"password\":\"a-strong-secret\"}").getStatusCode());
        assertThat(created).isEqualTo(Map.of(201, (long) limit, 403, 40L - limit));

        List<String> ids = aws.ftpUsers().list(account, 0, 100).stream().map(FtpUser::id).toList();
        Map<Integer, Long> deleted = concurrently(40, i ->
                () -> onUser("delete-ftp-user.json", account, ids.get(i % ids.size())).getStatusCode());
        assertThat(deleted).containsOnlyKeys(204, 404).containsEntry(204, (long) limit);
        assertThat(usersCounted(account)).isZero();
        assertThat(aws.events().page(account, 0, 1).total()).isEqualTo(2L * limit);
    }

    // ---- Idempotency-Key ----

    private APIGatewayProxyResponseEvent createWithKey(String key, String body) {
        APIGatewayProxyRequestEvent event = withJson(sample("create-ftp-user.json", account), body);
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.put("Idempotency-Key", key);
        return handler.handleRequest(event.withHeaders(headers), null);
    }

    @Test
    void aRetriedCreateWithTheSameIdempotencyKeyGetsTheFirstAnswerAndCreatesOnce() throws Exception {
        String key = "retry-" + UUID.randomUUID();
        APIGatewayProxyResponseEvent first = createWithKey(key, REFERENCE_BODY);
        APIGatewayProxyResponseEvent again = createWithKey(key, REFERENCE_BODY);

        assertThat(first.getStatusCode()).isEqualTo(201);
        assertThat(first.getHeaders()).doesNotContainKey("Idempotent-Replayed");
        assertThat(again.getStatusCode()).isEqualTo(201);
        assertThat(again.getHeaders()).containsEntry("Idempotent-Replayed", "true");
        assertThat(json(again)).isEqualTo(json(first));
        assertThat(usersCounted(account)).isEqualTo(1);
        assertThat(aws.events().page(account, 0, 10).total()).isEqualTo(1);
    }

    @Test
    void anIdempotencyKeyReusedForAnotherRequestIs422AndAnotherAccountsKeyIsItsOwn() throws Exception {
        String key = "reuse-" + UUID.randomUUID();
        assertThat(createWithKey(key, REFERENCE_BODY).getStatusCode()).isEqualTo(201);

        APIGatewayProxyResponseEvent other = createWithKey(key, "{\"username\":\"another\",\"password\":\"a-strong-secret\"}");
        assertThat(other.getStatusCode()).isEqualTo(422);
        assertThat((String) json(other).get("error")).contains("Idempotency-Key was used for a different request");
        assertThat(usersCounted(account)).isEqualTo(1);

        String elsewhere = accounts.create("Other", Plan.PRO).id();
        APIGatewayProxyRequestEvent event = withJson(sample("create-ftp-user.json", elsewhere), REFERENCE_BODY);
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.put("Idempotency-Key", key);
        APIGatewayProxyResponseEvent theirs = handler.handleRequest(event.withHeaders(headers), null);
        assertThat(theirs.getStatusCode()).isEqualTo(201);
        assertThat(theirs.getHeaders()).doesNotContainKey("Idempotent-Replayed");
    }

    @Test
    void aRefusalIsReplayedButATryAgainIsNot() throws Exception {
        String key = "refused-" + UUID.randomUUID();
        APIGatewayProxyResponseEvent refused = createWithKey(key, "{\"username\":\"x\",\"password\":\"short\"}");
        assertThat(refused.getStatusCode()).isEqualTo(400);
        assertThat(createWithKey(key, "{\"username\":\"x\",\"password\":\"short\"}").getHeaders())
                .containsEntry("Idempotent-Replayed", "true");

        assertThat(create(account, REFERENCE_BODY).getStatusCode()).isEqualTo(201);
        String conflictKey = "conflict-" + UUID.randomUUID();
        assertThat(createWithKey(conflictKey, REFERENCE_BODY).getStatusCode()).as("the name is taken").isEqualTo(409);
        assertThat(createWithKey(conflictKey, REFERENCE_BODY).getHeaders()).as("a 409 is not kept")
                .doesNotContainKey("Idempotent-Replayed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " leading", "trailing ", "tab\tinside", "caf\u00e9"})
    void aMalformedIdempotencyKeyIs400(String key) throws Exception {
        APIGatewayProxyResponseEvent answer = createWithKey(key, REFERENCE_BODY);
        assertThat(answer.getStatusCode()).isEqualTo(400);
        assertThat(json(answer)).isEqualTo(Map.of("error", "Idempotency-Key must be 1 to 255 printable ASCII characters"));
        assertThat(usersCounted(account)).isZero();
    }

    @Test
    void anIdempotencyKeyOf256CharactersIs400() throws Exception {
        assertThat(createWithKey("k".repeat(255), REFERENCE_BODY).getStatusCode()).isEqualTo(201);
        assertThat(createWithKey("k".repeat(256), REFERENCE_BODY).getStatusCode()).isEqualTo(400);
    }

    @Test
    void concurrentRequestsWithOneKeyCreateOnceAndTheOthersWaitOrReplay() throws Exception {
        String key = "race-" + UUID.randomUUID();
        Map<Integer, Long> statuses = concurrently(8, i -> () -> createWithKey(key, REFERENCE_BODY).getStatusCode());

        assertThat(statuses.keySet()).containsAnyOf(201).allMatch(s -> s == 201 || s == 409);
        assertThat(usersCounted(account)).isEqualTo(1);
    }

    @Test
    void concurrentCreatesOfOneNameMakeOneUser() throws Exception {
        Map<Integer, Long> statuses = concurrently(8, i -> () -> create(account, REFERENCE_BODY).getStatusCode());
        assertThat(statuses).isEqualTo(Map.of(201, 1L, 409, 7L));
        assertThat(usersCounted(account)).isEqualTo(1);
    }

    @Test
    void countStaysExactUnderConcurrentDeletes() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add((String) json(create(account, "{\"username\":\"gone" + i + "\",\"password\":\"a-strong-secret\"}")).get("id"));
        }
        Map<Integer, Long> statuses = concurrently(10, i -> () ->
                onUser("delete-ftp-user.json", account, ids.get(i % 5)).getStatusCode());
        assertThat(statuses).isEqualTo(Map.of(204, 5L, 404, 5L));
        assertThat(usersCounted(account)).isZero();
    }

    @Test
    void everyChangeIsRecordedAsAnEventInTheSameTransaction() throws Exception {
        String id = (String) json(create(account, REFERENCE_BODY)).get("id");
        onUser("update-ftp-user.json", account, id);
        onUser("delete-ftp-user.json", account, id);
        EventLog.Page page = aws.events().page(account, 0, 10);
        assertThat(page.events()).extracting(e -> e.type().id() + " " + e.ftpUserId() + " " + e.username())
                .containsExactly("ftp_user.deleted " + id + " pipeline", "ftp_user.updated " + id + " pipeline",
                        "ftp_user.created " + id + " pipeline");
    }

    @Test
    void whenTheEventCannotBeWrittenNothingIsDoneAndTheClientIsToldSo() throws Exception {
        FtpUsersHandler broken = new FtpUsersHandler(DaggerFtpUsersComponent.factory().create(
                aws.config().with("EVENTS_TABLE", "trueftp-no-such-table")));
        APIGatewayProxyResponseEvent response = broken.handleRequest(sample("create-ftp-user.json", account), null);
        assertThat(response.getStatusCode()).isGreaterThanOrEqualTo(500);
        assertThat(usersCounted(account)).isZero();
        assertThat(create(account, REFERENCE_BODY).getStatusCode()).as("the name is still free").isEqualTo(201);
    }

    @Test
    void unreachableDynamoDbIs503() throws Exception {
        FtpUsersHandler down = new FtpUsersHandler(DaggerFtpUsersComponent.factory().create(AwsUnderTest.unreachable()));
        APIGatewayProxyResponseEvent response = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> down.handleRequest(sample("create-ftp-user.json", account), null));
        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(json(response)).containsOnlyKeys("error");
    }

    private interface Task {
        Callable<Integer> make(int i);
    }

    private static Map<Integer, Long> concurrently(int count, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Callable<Integer> work = task.make(i);
            results.add(pool.submit(() -> {
                start.await();
                return work.call();
            }));
        }
        start.countDown();
        Map<Integer, Long> byStatus = new TreeMap<>();
        for (Future<Integer> result : results) {
            byStatus.merge(result.get(120, TimeUnit.SECONDS), 1L, Long::sum);
        }
        pool.shutdown();
        return byStatus;
    }
}
