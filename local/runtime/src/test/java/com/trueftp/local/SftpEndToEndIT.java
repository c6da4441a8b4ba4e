package com.trueftp.local;

import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.trueftp.core.Json;
import com.trueftp.local.sftp.LocalSftpServer;
import com.trueftp.testing.SshKeys;
import com.trueftp.testing.WebhookReceiver;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static com.trueftp.testing.Eventually.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * FTP users log in over SFTP to {@code ./trueftp local} as their partners would, with a client library, OpenSSH's
 * {@code sftp} and curl: what they change is in the files API at once, an event with source {@code sftp} within
 * seconds, counted in the account's storage and delivered to webhooks; they see their home folder and nothing else,
 * and only read when they may only read.
 */
class SftpEndToEndIT {
    private static final String PASSWORD = "a-strong-secret";
    private static final Duration WITHIN = Duration.ofSeconds(5);

    @TempDir
    static Path data;
    @TempDir
    Path work;
    static LocalRuntime runtime;
    static ApiClient client;
    static SshClient ssh;
    static final AtomicReference<PublicKey> hostKey = new AtomicReference<>();
    String token;
    String accountId;

    @BeforeAll
    static void start() throws Exception {
        runtime = LocalRuntime.start(0, 0, data, Duration.ofSeconds(1), LogLevel.WARN);
        client = new ApiClient(runtime.baseUrl(), data);
        ssh = SshClient.setUpDefaultClient();
        ssh.setServerKeyVerifier((session, address, key) -> {
            hostKey.set(key);
            return true;
        });
        ssh.start();
    }

    @AfterAll
    static void stop() {
        ssh.stop();
        runtime.close();
    }

    @BeforeEach
    void account() throws Exception {
        accountId = (String) client.admin("create-account", "--plan", "business").json().get("id");
        token = (String) client.admin("create-key", "--account", accountId, "--scopes", "read,write",
                "--rate-limit", "100000").json().get("token");
    }

    /** Creates an FTP user through the API; answers its JSON. */
    private Map<String, Object> ftpUser(String json) throws Exception {
        var response = client.send("POST", "/ftp-users", token, json);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return ApiClient.json(response);
    }

    private Map<String, Object> writer() throws Exception {
        return ftpUser("{\"username\":\"partner\",\"password\":\"" + PASSWORD + "\",\"can_write\":true}");
    }

    private static ClientSession login(String login, String password) throws IOException {
        ClientSession session = ssh.connect(login, "127.0.0.1", runtime.sftpPort()).verify(10, TimeUnit.SECONDS)
                .getSession();
        session.addPasswordIdentity(password);
        session.auth().verify(10, TimeUnit.SECONDS);
        return session;
    }

    private static void put(SftpClient sftp, String path, byte[] bytes) throws IOException {
        try (OutputStream out = sftp.write(path)) {
            out.write(bytes);
        }
    }

    private static byte[] get(SftpClient sftp, String path) throws IOException {
        try (InputStream in = sftp.read(path)) {
            return in.readAllBytes();
        }
    }

    private static Map<String, Long> list(SftpClient sftp, String path) throws IOException {
        Map<String, Long> entries = new TreeMap<>();
        for (SftpClient.DirEntry entry : sftp.readDir(path)) {
            if (!entry.getFilename().equals(".") && !entry.getFilename().equals("..")) {
                entries.put(entry.getFilename() + (entry.getAttributes().isDirectory() ? "/" : ""),
                        entry.getAttributes().getSize());
            }
        }
        return entries;
    }

    @SuppressWarnings("unchecked")
    private List<String> apiListing(String userId, String folder) throws Exception {
        List<Map<String, Object>> entries = (List<Map<String, Object>>) ApiClient.json(
                client.get("/ftp-users/" + userId + "/files?path=" + folder, token)).get("data");
        return entries.stream().map(e -> e.get("path") + " " + e.get("size")).toList();
    }

    @Test
    void aPartnersChangesOverSftpAreFilesEventsStorageAndWebhooks() throws Exception {
        Map<String, Object> user = writer();
        String userId = (String) user.get("id");
        assertThat(user).containsEntry("login", "partner." + accountId).containsEntry("last_login_at", null);
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            var hook = client.send("POST", "/webhooks", token,
                    "{\"url\":\"" + receiver.url("/sftp") + "\",\"events\":[\"file.uploaded\"]}");
            String secret = (String) ApiClient.json(hook).get("secret");
            byte[] report = "id,amount\n1,20\n".getBytes(StandardCharsets.UTF_8);

            try (ClientSession session = login("partner." + accountId, PASSWORD);
                 SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
                sftp.mkdir("/in");
                put(sftp, "/in/report.csv", report);
                // In the files API at once: the SFTP server writes S3 itself.
                assertThat(apiListing(userId, "/in/")).containsExactly("/in/report.csv " + report.length);
                assertThat(list(sftp, "/in")).isEqualTo(Map.of("report.csv", (long) report.length));
                assertThat(get(sftp, "/in/report.csv")).isEqualTo(report);
                sftp.rename("/in/report.csv", "/in/renamed.csv");
                assertThat(list(sftp, "/")).containsOnlyKeys("in/");
                assertThat(list(sftp, "/in")).containsOnlyKeys("renamed.csv");
                sftp.remove("/in/renamed.csv");
                sftp.rmdir("/in");
                assertThat(list(sftp, "/")).isEmpty();
            }

            WebhookReceiver.Received delivered = receiver.next(Duration.ofSeconds(10));
            assertThat(delivered).isNotNull();
            assertThat(delivered.trueftpSignatureVerifies(secret)).isTrue();
            @SuppressWarnings("unchecked")
            Map<String, Object> event = (Map<String, Object>) Json.readObject(delivered.bodyText()).get("data");
            assertThat(event).containsEntry("path", "/in/report.csv").containsEntry("source", "sftp");
        }
        int size = "id,amount\n1,20\n".length();
        // S3 has no rename: a rename is the new name uploaded and the old one deleted.
        assertThat(until(WITHIN, () -> client.fileEvents(token), events -> events.size() >= 6)).containsExactly(
                "folder.created /in/ 0 sftp",
                "file.uploaded /in/report.csv " + size + " sftp",
                "file.uploaded /in/renamed.csv " + size + " sftp",
                "file.deleted /in/report.csv " + size + " sftp",
                "file.deleted /in/renamed.csv " + size + " sftp",
                "folder.deleted /in/ 0 sftp");
        assertThat(client.storageUsed(token)).isZero();
        assertThat(ApiClient.json(client.get("/ftp-users/" + userId, token)).get("last_login_at")).isNotNull();
    }

    @Test
    void anUploadIsCountedInTheAccountsStorage() throws Exception {
        writer();
        byte[] bytes = new byte[300_000];
        try (ClientSession session = login("partner." + accountId, PASSWORD);
             SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            put(sftp, "/big.bin", bytes);
        }
        assertThat(until(WITHIN, () -> client.storageUsed(token), used -> used == bytes.length)).isEqualTo(bytes.length);
    }

    @Test
    void aReadOnlyUserListsAndDownloadsButCannotChangeAnything() throws Exception {
        Map<String, Object> writer = writer();
        String writerLogin = (String) writer.get("login");
        try (ClientSession session = login(writerLogin, PASSWORD);
             SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            put(sftp, "/shared.txt", "hello".getBytes(StandardCharsets.UTF_8));
        }
        var update = client.send("PUT", "/ftp-users/" + writer.get("id"), token, "{\"can_write\":false}");
        assertThat(update.statusCode()).isEqualTo(200);

        try (ClientSession session = login(writerLogin, PASSWORD);
             SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            assertThat(list(sftp, "/")).containsOnlyKeys("shared.txt");
            assertThat(get(sftp, "/shared.txt")).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
            assertRefused(() -> put(sftp, "/new.txt", new byte[]{1}), SftpConstants.SSH_FX_PERMISSION_DENIED);
            assertRefused(() -> sftp.mkdir("/folder"), SftpConstants.SSH_FX_PERMISSION_DENIED);
            assertRefused(() -> sftp.remove("/shared.txt"), SftpConstants.SSH_FX_PERMISSION_DENIED);
            assertRefused(() -> sftp.rename("/shared.txt", "/moved.txt"), SftpConstants.SSH_FX_PERMISSION_DENIED);
            assertThat(list(sftp, "/")).containsOnlyKeys("shared.txt");
        }
    }

    @Test
    void aUserSeesItsHomeFolderAsRootAndCannotReachOutsideIt() throws Exception {
        String otherId = (String) writer().get("id");
        try (ClientSession session = login("partner." + accountId, PASSWORD);
             SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            put(sftp, "/secret.txt", "another user's".getBytes(StandardCharsets.UTF_8));
        }
        String inboxId = (String) ftpUser("{\"username\":\"inbox-only\",\"password\":\"" + PASSWORD
                + "\",\"can_write\":true,\"home_directory\":\"/inbox\"}").get("id");
        // A file of the same user, outside its home folder: put there through the API.
        assertThat(client.send("POST", "/ftp-users/" + inboxId + "/files?path=/outside.txt", token,
                ApiClient.MULTIPART_TYPE, ApiClient.multipartFile("outside.txt", new byte[]{7})).statusCode())
                .isEqualTo(201);
        try (ClientSession session = login("inbox-only." + accountId, PASSWORD);
             SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            put(sftp, "/mine.txt", "x".getBytes(StandardCharsets.UTF_8));
            assertThat(sftp.canonicalPath("..")).isEqualTo("/");
            assertThat(sftp.canonicalPath("/../../..")).isEqualTo("/");
            assertThat(list(sftp, "/..")).isEqualTo(list(sftp, "/")).containsOnlyKeys("mine.txt");
            assertRefused(() -> get(sftp, "/../outside.txt"), SftpConstants.SSH_FX_NO_SUCH_FILE);
            assertRefused(() -> get(sftp, "../../../" + otherId + "/secret.txt"), SftpConstants.SSH_FX_NO_SUCH_FILE);
            assertRefused(() -> get(sftp, "/" + accountId + "/" + otherId + "/secret.txt"), SftpConstants.SSH_FX_NO_SUCH_FILE);
            assertRefused(() -> sftp.symLink("/link", "/../outside.txt"), SftpConstants.SSH_FX_OP_UNSUPPORTED);
            assertRefused(() -> sftp.symLink("/link", "/mine.txt"), SftpConstants.SSH_FX_OP_UNSUPPORTED);
            assertThat(list(sftp, "/")).containsOnlyKeys("mine.txt");
        }
        // Its / is its home folder /inbox/ in its own files.
        assertThat(apiListing(inboxId, "/")).containsExactly("/inbox/ 0", "/outside.txt 1");
        assertThat(apiListing(inboxId, "/inbox/")).containsExactly("/inbox/mine.txt 1");
    }

    @Test
    void refusedLoginsAreRefusedAlikeAndAKeyMustBeOneOfTheUsers() throws Exception {
        SshKeys.Pair registered = SshKeys.generate(work, "ecdsa", 256);
        SshKeys.Pair stranger = SshKeys.generate(work, "ecdsa", 256);
        ftpUser("{\"username\":\"partner\",\"password\":\"" + PASSWORD + "\",\"ssh_public_keys\":[\""
                + registered.publicLine() + "\"]}");
        ftpUser("{\"username\":\"off\",\"password\":\"" + PASSWORD + "\",\"enabled\":false}");
        for (String[] refused : new String[][]{{"partner." + accountId, "wrong-password!"},
                {"nobody." + accountId, PASSWORD}, {"partner", PASSWORD}, {"off." + accountId, PASSWORD}}) {
            assertThatThrownBy(() -> login(refused[0], refused[1]).close()).as(refused[0])
                    .isInstanceOf(SshException.class);
        }
        assertThat(keyLogin("partner." + accountId, registered.privateKey())).isTrue();
        assertThat(keyLogin("partner." + accountId, stranger.privateKey())).isFalse();
        assertThat(keyLogin("off." + accountId, registered.privateKey())).isFalse();
    }

    private static boolean keyLogin(String login, Path privateKey) throws Exception {
        try (ClientSession session = ssh.connect(login, "127.0.0.1", runtime.sftpPort()).verify(10, TimeUnit.SECONDS)
                .getSession()) {
            try (InputStream in = Files.newInputStream(privateKey)) {
                for (KeyPair pair : SecurityUtils.loadKeyPairIdentities(session, null, in, null)) {
                    session.addPublicKeyIdentity(pair);
                }
            }
            try {
                session.auth().verify(10, TimeUnit.SECONDS);
                return true;
            } catch (SshException refused) {
                return false;
            }
        }
    }

    @Test
    void openSshSftpWithAKeyAndCurlWithAPasswordWork() throws Exception {
        assumeThat(onPath("sftp")).as("OpenSSH's sftp on the PATH").isTrue();
        SshKeys.Pair key = SshKeys.generate(work, "ed25519", 0);
        String login = (String) ftpUser("{\"username\":\"partner\",\"password\":\"" + PASSWORD + "\",\"can_write\":true,"
                + "\"ssh_public_keys\":[\"" + key.publicLine() + "\"]}").get("login");
        Path local = Files.writeString(work.resolve("upload.txt"), "from openssh\n");
        Path batch = Files.writeString(work.resolve("batch"), String.join("\n", "mkdir docs",
                "put " + local + " docs/upload.txt", "ls -l docs", "get docs/upload.txt " + work.resolve("back.txt"),
                "rename docs/upload.txt docs/renamed.txt", "rm docs/renamed.txt", "rmdir docs", ""));
        Run sftp = run("sftp", "-i", key.privateKey().toString(), "-P", String.valueOf(runtime.sftpPort()),
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
                "-o", "IdentitiesOnly=yes", "-b", batch.toString(), login + "@127.0.0.1");
        assertThat(sftp.exit()).as(sftp.output()).isZero();
        assertThat(sftp.output()).contains("upload.txt");
        assertThat(Files.readString(work.resolve("back.txt"))).isEqualTo("from openssh\n");

        assumeThat(onPath("curl")).as("curl on the PATH").isTrue();
        String url = runtime.sftpUrl();
        Run upload = run("curl", "-sS", "-k", "-T", local.toString(), "-u", login + ":" + PASSWORD, url + "/via-curl.txt");
        assertThat(upload.exit()).as(upload.output()).isZero();
        Run listing = run("curl", "-sS", "-k", "-u", login + ":" + PASSWORD, url + "/");
        assertThat(listing.output()).contains("via-curl.txt");
        Run wrong = run("curl", "-sS", "-k", "-u", login + ":not-the-password", url + "/");
        assertThat(wrong.exit()).isNotZero();
        assertThat(until(WITHIN, () -> client.fileEvents(token), events -> events.size() >= 6)).contains(
                "file.uploaded /docs/upload.txt 13 sftp", "file.uploaded /via-curl.txt 13 sftp");
    }

    @Test
    void theHostKeyIsKeptInTheDataFolderAcrossRestarts() throws Exception {
        writer();
        login("partner." + accountId, PASSWORD).close();
        PublicKey first = hostKey.get();
        assertThat(Files.exists(data.resolve(LocalSftpServer.HOST_KEY_FILE))).isTrue();
        try (LocalSftpServer again = LocalSftpServer.start(0, data, runtime.aws().config(), request -> Map.of())) {
            hostKey.set(null);
            try (ClientSession session = ssh.connect("anyone", "127.0.0.1", again.port())
                    .verify(10, TimeUnit.SECONDS).getSession()) {
                session.addPasswordIdentity("x");
                assertThatThrownBy(() -> session.auth().verify(10, TimeUnit.SECONDS)).isInstanceOf(SshException.class);
            }
        }
        assertThat(KeyUtils.getFingerPrint(hostKey.get())).isEqualTo(KeyUtils.getFingerPrint(first));
    }

    private interface Action {
        void run() throws IOException;
    }

    private static void assertRefused(Action action, int status) {
        assertThatThrownBy(action::run).isInstanceOfSatisfying(SftpException.class,
                e -> assertThat(e.getStatus()).as(e.getMessage()).isEqualTo(status));
    }

    private record Run(int exit, String output) {
    }

    private static Run run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }

    private static boolean onPath(String program) {
        for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator, -1)) {
            if (Files.isExecutable(Path.of(folder, program))) {
                return true;
            }
        }
        return false;
    }
}
