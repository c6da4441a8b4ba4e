package com.trueftp.local;

import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.trueftp.aws.Queues;
import com.trueftp.aws.Tables;
import com.trueftp.events.EventLog;
import com.trueftp.core.Config;
import com.trueftp.core.Json;
import com.trueftp.ftpuser.FtpUser;
import com.trueftp.testing.Multipart;
import com.trueftp.testing.Eventually;
import com.trueftp.testing.TestGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The project's own hostile-input suite: about 650 generated requests, byte for byte over sockets, against the
 * local runtime — auth headers, JSON bodies, query parameters and cursors, paths in every encoding, multipart
 * bodies, methods and unknown routes, and every endpoint with another account's ids — then requests racing on
 * one file. Every answer: never a 5xx (a 503 only with Retry-After); every error is JSON with exactly one
 * string field {@code error}; no stack trace, class name, internal path, password, hash or token. A refused
 * request changes nothing (checked before and after each), and the storage count equals what S3 holds plus
 * what open upload URLs reserve. Seeded: {@code -Dhostile.seed=N} replays a run's requests (the ids and
 * tokens they carry are new each run).
 */
class HostileInputIT {
    private static final long SEED = Long.getLong("hostile.seed", 20_261_129L);
    private static final Pattern ANY_TOKEN = Pattern.compile("tftp_[A-Za-z0-9]{32}");
    private static final List<String> INTERNALS = List.of("Exception", "\tat ", "java.", "com.trueftp", "/work/",
            "/tmp/", ".java:", "$argon2", "software.amazon", "arn:aws");
    private static final String VICTIM_PASSWORD = "victim-secret-password-1";
    private static final String ATTACKER_PASSWORD = "attacker-secret-password-2";

    @TempDir
    static Path data;
    static LocalRuntime runtime;
    static ApiClient client;
    static TestGraph state;
    static int port;
    static Party victim;
    static Party attacker;

    /** An account seen from outside: its token, its FTP user, and a cursor from its own listing. */
    record Party(String account, String token, String user, String cursor) {
    }

    /** One generated request: what it probes, its bytes, and which account it could change. */
    @SuppressWarnings("ArrayRecordComponent")
    record Probe(String category, String what, byte[] bytes, Party target) {
        /** Uploads, folders and deletes (of files or of a user) are what can change objects. */
        boolean changesObjects() {
            String line = new String(bytes, 0, Math.min(bytes.length, 300), StandardCharsets.ISO_8859_1);
            return (line.startsWith("POST ") || line.startsWith("DELETE ")) && line.contains("/ftp-users/");
        }
    }

    @BeforeAll
    static void start() throws Exception {
        runtime = LocalRuntime.start(0, data, Duration.ofSeconds(60), LogLevel.ERROR);
        client = new ApiClient(runtime.baseUrl(), data);
        state = TestGraph.of(runtime.aws().config());
        port = URI.create(runtime.baseUrl()).getPort();
        victim = party("victim-user", VICTIM_PASSWORD, "/secret-victim-report.csv");
        attacker = party("attacker-user", ATTACKER_PASSWORD, "/mine.txt");
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    private static Party party(String username, String password, String file) throws Exception {
        String account = (String) client.admin("create-account", "--plan", "business").json().get("id");
        String token = (String) client.admin("create-key", "--account", account, "--scopes", "read,write",
                "--rate-limit", "100000").json().get("token");
        String user = (String) ApiClient.json(client.send("POST", "/ftp-users", token, "{\"username\":\"" + username
                + "\",\"password\":\"" + password + "\"}")).get("id");
        for (int i = 0; i < 3; i++) {
            String path = "/ftp-users/" + user + "/files?path=" + enc(file.replace(".", i + "."));
            assertThat(client.send("POST", path, token, Multipart.CONTENT_TYPE,
                    Multipart.body("file", "f", ("content " + i).getBytes(StandardCharsets.UTF_8))).statusCode())
                    .isEqualTo(201);
        }
        String cursor = (String) ApiClient.json(client.get("/ftp-users/" + user + "/files?path=/&limit=1", token))
                .get("next_cursor");
        return new Party(account, token, user, cursor);
    }

    @Test
    void hostileRequestsAreRefusedInJsonWithoutLeaksOrSideEffects() throws Exception {
        Random random = new Random(SEED);
        List<Probe> probes = new ArrayList<>();
        probes.addAll(authHeaders(random));
        probes.addAll(jsonBodies(random));
        probes.addAll(queries(random));
        probes.addAll(paths(random));
        probes.addAll(multipartBodies(random));
        probes.addAll(methodsAndRoutes(random));
        probes.addAll(otherAccountsIds(random));
        assertThat(probes).hasSizeGreaterThanOrEqualTo(600);

        List<String> secrets = secrets();
        Map<String, Map<Integer, Integer>> byCategory = new TreeMap<>();
        for (Probe probe : probes) {
            boolean objects = probe.changesObjects();
            recordingSettled(); // what an earlier request changed is recorded before this one is looked at
            Snapshot before = Snapshot.of(probe.target(), objects);
            RawHttp.Answer answer = RawHttp.send(port, probe.bytes(), false);
            String where = probe.category() + ": " + probe.what() + " (seed " + SEED + ")";
            check(answer, where, secrets);
            if (answer.status() >= 400) {
                assertThat(Snapshot.of(probe.target(), objects)).as(() -> "a refused request changed nothing: " + where
                        + "; newest events " + state.events().page(probe.target().account(), 0, 3).events())
                        .isEqualTo(before);
            }
            byCategory.computeIfAbsent(probe.category(), c -> new TreeMap<>()).merge(answer.status(), 1, Integer::sum);
        }
        for (Party party : List.of(victim, attacker)) {
            long held = heldInS3(party);
            assertThat(Eventually.within(Duration.ofSeconds(10), () -> used(party), held))
                    .as("storage count of " + party.account() + ": what S3 holds (seed " + SEED + ")").isEqualTo(held);
        }
        System.out.println("hostile requests, statuses by category (seed " + SEED + "): " + byCategory);
        // Another account's ids are never found (or the request is malformed before it gets that far); the one
        // 200 is the event filter on the victim's user id, which matches none of the attacker's events.
        assertThat(byCategory.get("tenant")).containsOnlyKeys(200, 400, 404).containsEntry(200, 1);
    }

    @Test
    void uploadsAndDeletesRacingOnOneFileKeepTheCountEqualToS3() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String files = runtime.baseUrl() + "/ftp-users/" + attacker.user() + "/files?path=";
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        // Identical bytes to a new path, then shrinking a large file to one byte, then uploads against deletes.
        answers.addAll(race(http, 20, i -> upload(files + enc("/race/same.bin"), new byte[]{7})));
        await(answers);
        assertThat(upload(http, files + enc("/race/big.bin"), new byte[1024 * 1024]).statusCode()).isEqualTo(201);
        answers.addAll(race(http, 20, i -> upload(files + enc("/race/big.bin"), new byte[]{1})));
        answers.addAll(race(http, 20, i -> i % 2 == 0 ? upload(files + enc("/race/churn.bin"), new byte[100 * i + 1])
                : HttpRequest.newBuilder(URI.create(files + enc("/race/churn.bin"))).DELETE()
                .header("Authorization", "Bearer " + attacker.token())));
        for (HttpResponse<String> answer : await(answers)) {
            check(new RawHttp.Answer(answer.statusCode(), answer.headers().map().entrySet().stream()
                    .map(e -> e.getKey() + ": " + String.join(",", e.getValue())).toList(),
                    answer.body().getBytes(StandardCharsets.UTF_8)), "race", secrets());
        }
        long held = heldInS3(attacker);
        assertThat(Eventually.within(Duration.ofSeconds(10), () -> used(attacker), held)).isEqualTo(held);
    }

    // ---- categories ----

    private static List<Probe> authHeaders(Random random) {
        String token = attacker.token();
        List<String> fixed = List.of("", "Bearer", "Bearer ", "Bearer  " + token, "Bearer\t" + token, " Bearer " + token,
                "Bearer " + token + " ", "Bearer " + token + ", Bearer " + token, "Basic " + b64("user:pass"),
                "Token " + token, "Bearer " + token.toUpperCase(java.util.Locale.ROOT), "Bearer tftp_",
                "Bearer " + token + "x", "Bearer " + token.substring(1), "Bearer \u00e9" + token.substring(1),
                "Bearer " + token + "\u0000", "Bearer " + "A".repeat(9000), "bearer " + token, "BEARER " + token);
        List<Probe> probes = new ArrayList<>();
        for (String value : fixed) {
            probes.add(get("auth", "Authorization: " + printable(value), "/api/ext/v1/account", List.of("Authorization: " + value)));
        }
        probes.add(get("auth", "no header", "/api/ext/v1/ftp-users", List.of()));
        probes.add(get("auth", "two headers, bad last", "/api/ext/v1/account",
                List.of("Authorization: Bearer " + token, "Authorization: Bearer tftp_" + "x".repeat(32))));
        probes.add(get("auth", "two headers, bad first", "/api/ext/v1/account",
                List.of("Authorization: Bearer tftp_" + "x".repeat(32), "Authorization: Bearer " + token)));
        while (probes.size() < 80) {
            char[] mutated = token.toCharArray();
            int at = 5 + random.nextInt(mutated.length - 5);
            mutated[at] = (char) (random.nextBoolean() ? 'a' + random.nextInt(26) : 0x21 + random.nextInt(0x5e));
            String value = "Bearer " + new String(mutated);
            probes.add(get("auth", "mutated token at " + at, random.nextBoolean() ? "/api/ext/v1/account"
                    : "/api/ext/v1/ftp-users", List.of("Authorization: " + value)));
        }
        return probes;
    }

    private static List<Probe> jsonBodies(Random random) {
        List<String> fixed = List.of("", "{", "[]", "null", "1", "\"s\"", "{}", "{\"username\":null}",
                "{\"username\":123,\"password\":\"a-strong-secret\"}", "{\"username\":\"a\",\"password\":\"a-strong-secret\"}",
                "{\"username\":\"" + "u".repeat(10_000) + "\",\"password\":\"a-strong-secret\"}",
                "{\"username\":\"okname\",\"password\":1}", "{\"username\":\"okname\",\"password\":\"short\"}",
                "{\"username\":\"okname\",\"password\":\"a-strong-secret\",\"admin\":true}",
                "{\"username\":\"okname\",\"username\":\"other\",\"password\":\"a-strong-secret\"}",
                "[".repeat(5000) + "]".repeat(5000), "{\"a\":".repeat(3000) + "1" + "}".repeat(3000),
                "{\"username\":\"okname\",\"password\":\"a-strong-secret\",\"can_write\":1e999999}",
                "{\"username\":\"\\ud800\",\"password\":\"a-strong-secret\"}",
                "\ufeff{\"username\":\"bom\",\"password\":\"a-strong-secret\"}",
                "{\"username\":\"nul\\u0000\",\"password\":\"a-strong-secret\"}",
                "{\"username\":\"okname\",\"password\":\"a-strong-secret\",\"home_directory\":\"/../up\"}",
                "{\"username\":\"okname\",\"password\":\"a-strong-secret\",\"description\":\"" + "d".repeat(501) + "\"}",
                "{\"username\":\"okname\",\"password\":\"a-strong-secret\",\"can_write\":\"true\"}",
                "{\"username\":\"okname\",\"password\":\"" + "p".repeat(70_000) + "\"}",
                "{\"username\":\"okname\" \"password\":\"a-strong-secret\"}", "{'username':'okname'}",
                "{\"enabled\":null}", "{\"home_directory\":\"C:\\\\windows\"}", "{\"ssh_public_keys\":[1,2]}");
        List<Probe> probes = new ArrayList<>();
        for (String body : fixed) {
            probes.add(jsonProbe("POST", "/api/ext/v1/ftp-users", body.getBytes(StandardCharsets.UTF_8), "application/json"));
            probes.add(jsonProbe("PUT", "/api/ext/v1/ftp-users/" + attacker.user(), body.getBytes(StandardCharsets.UTF_8),
                    "application/json"));
        }
        probes.add(jsonProbe("POST", "/api/ext/v1/ftp-users", new byte[]{'{', '"', 'u', (byte) 0xff, '"', ':', '1', '}'},
                "application/json"));
        probes.add(jsonProbe("POST", "/api/ext/v1/ftp-users", "{\"username\":\"okname\",\"password\":\"a-strong-secret\"}"
                .getBytes(StandardCharsets.UTF_16), "application/json"));
        String valid = "{\"username\":\"fuzz\",\"password\":\"a-strong-secret\",\"can_write\":true,\"description\":\"x\"}";
        List<String> types = List.of("application/json", "text/plain", "application/json; charset=latin1",
                "application/x-www-form-urlencoded");
        while (probes.size() < 130) {
            byte[] body = mutate(random, valid.getBytes(StandardCharsets.UTF_8));
            String method = random.nextBoolean() ? "POST" : "PUT";
            probes.add(jsonProbe(method, method.equals("POST") ? "/api/ext/v1/ftp-users" : "/api/ext/v1/ftp-users/"
                    + attacker.user(), body, types.get(random.nextInt(types.size()))));
        }
        return probes;
    }

    private static List<Probe> queries(Random random) {
        List<String> weird = List.of("-1", "0", "201", "1e3", "0x10", "", "%00", "%EF%BC%91", "99999999999999999999",
                "%205", "5%20", "%2B5", "1.5", "NaN", "null", "%FF", "5&limit=6", "%2C", "[]", "%7B%7D");
        List<Probe> probes = new ArrayList<>();
        for (String value : weird) {
            probes.add(get("query", "limit=" + value, "/api/ext/v1/ftp-users?limit=" + value, auth()));
            probes.add(get("query", "offset=" + value, "/api/ext/v1/events?offset=" + value, auth()));
            probes.add(get("query", "type=" + value, "/api/ext/v1/events?type=" + value, auth()));
            probes.add(get("query", "files limit=" + value, files(attacker) + "?path=/&limit=" + value, auth()));
        }
        probes.add(get("query", "victim's cursor", files(attacker) + "?path=/&cursor=" + enc(victim.cursor()), auth()));
        while (probes.size() < 110) {
            String cursor = switch (random.nextInt(3)) {
                case 0 -> flip(random, attacker.cursor());
                case 1 -> Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(random, 1 + random.nextInt(200)));
                default -> attacker.cursor().substring(0, random.nextInt(attacker.cursor().length()));
            };
            String search = random.nextInt(4) == 0 ? "&search=" + enc(randomText(random, 1 + random.nextInt(20))) : "";
            probes.add(get("query", "cursor " + cursor, files(attacker) + "?path=/&cursor=" + enc(cursor) + search, auth()));
        }
        return probes;
    }

    private static List<Probe> paths(Random random) {
        List<String> encoded = List.of("%2Fa%2Fb", "/a%2Fb", "/%2e%2e/x", "/..", "/./x", "//x", "/x/../../y", "%5Cx",
                "/x%00y", "/%C0%AF", "/%ED%A0%80", "/%EF%BF%BF", "/caf%C3%A9", "/cafe%CC%81", "/%E2%80%AEtxt.exe",
                "/a%E2%80%8Db", "/%F0%9F%98%80", "/" + "a".repeat(975), "/" + "a".repeat(976), "/trailing%20",
                "/CON", "/.hidden", "/q%3Fx%23y%26z", "%", "%%", "/a+b", "", "/", "/x/", "/%F4%8F%BF%BF",
                "/%0D%0Aheader", "/%7F", "/%C2%85", "/x%20/y", "/" + "%C3%A9".repeat(500));
        List<Probe> probes = new ArrayList<>();
        for (String path : encoded) {
            probes.add(get("path", "list " + path, files(attacker) + "?path=" + path, auth()));
            probes.add(get("path", "download " + path, files(attacker) + "/download?path=" + path, auth()));
            probes.add(new Probe("path", "upload " + path, RawHttp.request("POST", files(attacker) + "?path=" + path,
                    withAuth("Content-Type: " + Multipart.CONTENT_TYPE), Multipart.body("file", "x", new byte[]{1})), attacker));
        }
        while (probes.size() < 130) {
            String path = "/" + enc(randomText(random, 1 + random.nextInt(30)));
            probes.add(switch (random.nextInt(4)) {
                case 0 -> new Probe("path", "mkdir " + path, RawHttp.request("POST", files(attacker) + "/mkdir?path="
                        + path + "/", auth(), new byte[0]), attacker);
                case 1 -> new Probe("path", "delete " + path, RawHttp.request("DELETE", files(attacker) + "?path=" + path,
                        auth(), null), attacker);
                case 2 -> new Probe("path", "upload-url " + path, RawHttp.request("POST", files(attacker)
                        + "/upload-url?path=" + path + "&size=" + random.nextInt(1000), auth(), new byte[0]), attacker);
                default -> get("path", "list " + path, files(attacker) + "?path=" + path, auth());
            });
        }
        return probes;
    }

    private static List<Probe> multipartBodies(Random random) {
        String boundary = "d74496d66958873e";
        List<byte[]> bodies = new ArrayList<>(List.of(new byte[0], bytes("--" + boundary + "--\r\n"),
                bytes("--" + boundary + "\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--" + boundary + "--\r\n"),
                bytes("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nx"),
                bytes("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nx\r\n--" + boundary + "--\r\n"),
                bytes("preamble only"), bytes("--" + boundary + "\nContent-Disposition: form-data; name=\"file\"; "
                        + "filename=\"a\"\n\nx\n--" + boundary + "--\n"),
                bytes("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../../etc/passwd\"\r\n"
                        + "Content-Type: ../../x\r\n\r\nx\r\n--" + boundary + "--\r\n"),
                bytes("--" + boundary + "\r\n" + "X-Pad: " + "p".repeat(20_000) + "\r\nContent-Disposition: form-data; "
                        + "name=\"file\"; filename=\"a\"\r\n\r\nx\r\n--" + boundary + "--\r\n")));
        bodies.add(concat(Multipart.body("file", "a", new byte[]{1}), Multipart.body("file", "b", new byte[]{2})));
        List<String> types = List.of(Multipart.CONTENT_TYPE, "multipart/form-data", "multipart/form-data; boundary=",
                "multipart/form-data; boundary=" + "b".repeat(200), "multipart/mixed; boundary=" + boundary,
                "application/octet-stream", "text/plain");
        List<Probe> probes = new ArrayList<>();
        for (byte[] body : bodies) {
            for (String type : List.of(types.get(0), types.get(1 + random.nextInt(types.size() - 1)))) {
                probes.add(new Probe("multipart", type + " " + printable(new String(body, 0, Math.min(40, body.length),
                        StandardCharsets.ISO_8859_1)), RawHttp.request("POST", files(attacker) + "?path=/mp/x.bin",
                        withAuth("Content-Type: " + type), body), attacker));
            }
        }
        while (probes.size() < 60) {
            byte[] body = mutate(random, Multipart.body("file", "f.bin", randomBytes(random, 1 + random.nextInt(64))));
            probes.add(new Probe("multipart", "mutated body", RawHttp.request("POST", files(attacker) + "?path=/mp/y.bin",
                    withAuth("Content-Type: " + types.get(random.nextInt(3))), body), attacker));
        }
        return probes;
    }

    private static List<Probe> methodsAndRoutes(Random random) {
        List<String> methods = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "FOO", "get");
        List<String> targets = List.of("/api/ext/v1", "/api/ext/v1/", "/api/ext/v2/account", "/api/ext/v1/account/",
                "/API/ext/v1/account", "/api/ext/v1//account", "/api/ext/v1/account;x", "/api/ext/v1/ftp-users/x/y/z",
                "/api/ext/v1/events/1", "/", "/api/ext/v1/openapi.json/x", "/api/ext/v1/account?x=%zz",
                "/api/ext/v1/ftp-users/" + attacker.user() + "/files/other", "/api/ext/v1/%61ccount");
        List<Probe> probes = new ArrayList<>();
        for (String target : targets) {
            probes.add(get("route", "GET " + target, target, auth()));
        }
        List<String> known = List.of("/api/ext/v1/account", "/api/ext/v1/ftp-users", "/api/ext/v1/events",
                "/api/ext/v1/ftp-users/" + attacker.user(), files(attacker), files(attacker) + "/mkdir?path=/m/");
        while (probes.size() < 60) {
            String method = methods.get(random.nextInt(methods.size()));
            String target = random.nextInt(3) == 0 ? targets.get(random.nextInt(targets.size()))
                    : known.get(random.nextInt(known.size()));
            probes.add(new Probe("route", method + " " + target, RawHttp.request(method, target, auth(),
                    method.equals("GET") || method.equals("HEAD") ? null : new byte[0]), attacker));
        }
        return probes;
    }

    /** The attacker's key on every endpoint with the victim's ids: each answers as if they did not exist. */
    private static List<Probe> otherAccountsIds(Random random) {
        String user = "/api/ext/v1/ftp-users/" + victim.user();
        List<Probe> probes = new ArrayList<>(List.of(
                get("tenant", "get user", user, auth()),
                new Probe("tenant", "update user", RawHttp.request("PUT", user, withAuth("Content-Type: application/json"),
                        bytes("{\"enabled\":false}")), victim),
                new Probe("tenant", "delete user", RawHttp.request("DELETE", user, auth(), null), victim),
                get("tenant", "events of the user", "/api/ext/v1/events?ftp_user_id=" + victim.user(), auth()),
                get("tenant", "victim's cursor on the victim", files(victim) + "?path=/&cursor=" + enc(victim.cursor()), auth())));
        List<String> paths = List.of("/", "/secret-victim-report0.csv", "/nope", "/a/");
        while (probes.size() < 70) {
            String path = enc(paths.get(random.nextInt(paths.size())));
            probes.add(switch (random.nextInt(6)) {
                case 0 -> get("tenant", "list " + path, files(victim) + "?path=" + path, auth());
                case 1 -> get("tenant", "download " + path, files(victim) + "/download?path=" + path, auth());
                case 2 -> new Probe("tenant", "upload " + path, RawHttp.request("POST", files(victim) + "?path=" + path,
                        withAuth("Content-Type: " + Multipart.CONTENT_TYPE), Multipart.body("file", "x", new byte[]{1})), victim);
                case 3 -> new Probe("tenant", "upload-url " + path, RawHttp.request("POST", files(victim)
                        + "/upload-url?path=" + path + "&size=5", auth(), new byte[0]), victim);
                case 4 -> new Probe("tenant", "mkdir", RawHttp.request("POST", files(victim) + "/mkdir?path=/x"
                        + random.nextInt(100) + "/", auth(), new byte[0]), victim);
                default -> new Probe("tenant", "delete " + path, RawHttp.request("DELETE", files(victim) + "?path=" + path,
                        auth(), null), victim);
            });
        }
        return probes;
    }

    // ---- checks ----

    private static void check(RawHttp.Answer answer, String where, List<String> secrets) throws IOException {
        assertThat(answer.status()).as("no 5xx but a 503: " + where + " → " + answer.text())
                .satisfiesAnyOf(s -> assertThat(s).isLessThan(500), s -> assertThat(s).isEqualTo(503));
        if (answer.status() == 503) {
            assertThat(answer.header("Retry-After")).as("a 503 says when: " + where).isPresent();
        }
        String text = answer.text();
        for (String internal : INTERNALS) {
            assertThat(text).as("nothing internal: " + where).doesNotContain(internal);
        }
        for (String secret : secrets) {
            assertThat(text).as("no secret: " + where).doesNotContain(secret);
        }
        assertThat(ANY_TOKEN.matcher(text).find()).as("no token: " + where).isFalse();
        assertThat(text).as("nothing of the victim's: " + where).doesNotContain("victim-user").doesNotContain("secret-victim");
        if (answer.status() >= 400 && answer.body().length > 0) {
            assertThat(answer.header("Content-Type")).as(where).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            Map<String, Object> error = Json.readObject(text);
            assertThat(error).as("one string field, error: " + where).containsOnlyKeys("error");
            assertThat(error.get("error")).as(where).isInstanceOf(String.class);
        }
    }

    /** The passwords, their hashes and both tokens: never in an answer. */
    private static List<String> secrets() {
        List<String> secrets = new ArrayList<>(List.of(VICTIM_PASSWORD, ATTACKER_PASSWORD, victim.token(), attacker.token()));
        for (Party party : List.of(victim, attacker)) {
            state.ftpUsers().list(party.account(), 0, 500).stream().map(FtpUser::passwordHash).forEach(secrets::add);
        }
        return secrets;
    }

    /**
     * What a request could change of an account: its item (counters, latest event number), its users and
     * their upload-URL records, and its objects.
     */
    /**
     * Waits until S3's notifications of earlier requests are recorded (none on the file-changes queue, none in
     * the function's hands): the recording runs beside the requests and writes the account when it ends.
     */
    private static void recordingSettled() throws InterruptedException {
        String queue = runtime.aws().config().require(Queues.FILE_CHANGES.urlVariable());
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < until) {
            Map<QueueAttributeName, String> counts = state.sqs().getQueueAttributes(b -> b.queueUrl(queue)
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
            if (counts.values().stream().allMatch("0"::equals)) {
                return;
            }
            Thread.sleep(20);
        }
    }

    record Snapshot(Map<String, AttributeValue> account, List<FtpUser> users, Map<String, String> objects) {
        /** @param objects whether to list the objects too (the emulator lists slowly: only where a request could change them) */
        static Snapshot of(Party party, boolean objects) {
            Map<String, AttributeValue> account = new TreeMap<>(state.dynamoDb().getItem(b -> b.consistentRead(true)
                    .tableName(runtime.aws().config().require(Tables.ACCOUNTS.nameVariable()))
                    .key(Map.of("id", AttributeValue.fromS(party.account())))).item());
            // Whose turn it is to write comes and goes with the recording of S3's notifications of earlier
            // requests (a turn taken, found needless, passed on): bookkeeping, not the account's data.
            account.remove(EventLog.TURN_TICKET);
            account.remove(EventLog.TURN_DONE);
            Map<String, String> listed = new TreeMap<>();
            if (objects) {
                state.s3().listObjectsV2(b -> b.bucket(runtime.aws().config().require(Config.FILES_BUCKET))
                        .prefix(party.account() + "/")).contents().forEach(o -> listed.put(o.key(), o.eTag()));
            }
            return new Snapshot(account, state.ftpUsers().list(party.account(), 0, 500), listed);
        }
    }

    private static long used(Party party) {
        return state.accounts().get(party.account()).storageBytesUsed();
    }

    private static long heldInS3(Party party) {
        return state.s3().listObjectsV2Paginator(b -> b.bucket(runtime.aws().config().require(Config.FILES_BUCKET))
                .prefix(party.account() + "/")).contents().stream().mapToLong(S3Object::size).sum();
    }

    // ---- building requests ----

    private static Probe get(String category, String what, String target, List<String> headers) {
        return new Probe(category, what, RawHttp.request("GET", target, headers, null), attacker);
    }

    private static Probe jsonProbe(String method, String target, byte[] body, String type) {
        return new Probe("json", method + " " + printable(new String(body, 0, Math.min(60, body.length),
                StandardCharsets.ISO_8859_1)), RawHttp.request(method, target, withAuth("Content-Type: " + type), body), attacker);
    }

    private static List<String> auth() {
        return List.of("Authorization: Bearer " + attacker.token());
    }

    private static List<String> withAuth(String header) {
        return List.of("Authorization: Bearer " + attacker.token(), header);
    }

    private static String files(Party owner) {
        return "/api/ext/v1/ftp-users/" + owner.user() + "/files";
    }

    private static HttpRequest.Builder upload(String url, byte[] content) {
        return HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofByteArray(
                        Multipart.body("file", "x", content))).header("Content-Type", Multipart.CONTENT_TYPE)
                .header("Authorization", "Bearer " + attacker.token());
    }

    private static HttpResponse<String> upload(HttpClient http, String url, byte[] content) throws Exception {
        return http.send(upload(url, content).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<CompletableFuture<HttpResponse<String>>> race(HttpClient http, int count,
                                                                     java.util.function.IntFunction<HttpRequest.Builder> request) {
        return IntStream.range(0, count).mapToObj(i -> http.sendAsync(request.apply(i).build(),
                HttpResponse.BodyHandlers.ofString())).toList();
    }

    private static List<HttpResponse<String>> await(List<CompletableFuture<HttpResponse<String>>> answers) {
        return answers.stream().map(CompletableFuture::join).toList();
    }

    private static byte[] mutate(Random random, byte[] original) {
        byte[] body = original.clone();
        return switch (random.nextInt(4)) {
            case 0 -> java.util.Arrays.copyOf(body, random.nextInt(body.length)); // truncated
            case 1 -> {
                body[random.nextInt(body.length)] = (byte) random.nextInt(256); // one byte changed
                yield body;
            }
            case 2 -> concat(java.util.Arrays.copyOf(body, body.length / 2), randomBytes(random, 1 + random.nextInt(8)),
                    java.util.Arrays.copyOfRange(body, body.length / 2, body.length)); // bytes inserted
            default -> concat(body, body); // doubled
        };
    }

    /** Text from every corner: ASCII, controls, Latin-1, combining marks, CJK, emoji, noncharacters, bidi marks. */
    private static String randomText(Random random, int length) {
        int[][] ranges = {{0x20, 0x7e}, {0x00, 0x1f}, {0xa0, 0xff}, {0x300, 0x36f}, {0x4e00, 0x4e80}, {0x1f600, 0x1f64f},
                {0xfdd0, 0xfdef}, {0x202a, 0x202e}, {0xfffe, 0xffff}};
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int[] range = ranges[random.nextInt(ranges.length)];
            text.appendCodePoint(range[0] + random.nextInt(range[1] - range[0] + 1));
        }
        return text.toString();
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String flip(Random random, String text) {
        char[] chars = text.toCharArray();
        int at = random.nextInt(chars.length);
        chars[at] = chars[at] == 'A' ? 'B' : 'A';
        return new String(chars);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(bytes(text));
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** For messages: control characters shown as escapes. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> out.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", c)
                : new String(Character.toChars(c))));
        return out.length() > 80 ? out.substring(0, 80) + "…" : out.toString();
    }
}
