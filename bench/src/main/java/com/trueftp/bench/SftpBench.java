package com.trueftp.bench;

import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.trueftp.account.Plan;
import com.trueftp.core.Config;
import com.trueftp.ftpuser.FtpUser;
import com.trueftp.ftpuser.FtpUserRepository;
import com.trueftp.ftpuser.PasswordHasher;
import com.trueftp.functions.sftpauth.SftpAuthHandler;
import com.trueftp.local.LocalContext;
import com.trueftp.local.LocalRuntime;
import com.trueftp.testing.TestGraph;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * (k) SFTP: logins per second through the sftp-auth handler (one Argon2id check each, which this measures alone
 * too), and a 100 MiB upload over SFTP to the local server against a direct S3 PUT of the same bytes to the same
 * S3 endpoint.
 */
final class SftpBench {
    static final int LOGINS = 200;
    static final int REFUSAL_ROUNDS = 50;
    static final int UPLOAD_MIB = 100;
    static final int UPLOAD_RUNS = 3;
    private static final String PASSWORD = "a-strong-bench-secret";

    Map<String, Object> run() throws Exception {
        System.out.printf("(k) SFTP: %d logins through the sftp-auth handler; a %d MiB upload over SFTP against a "
                + "direct S3 PUT, on the local runtime%n", LOGINS, UPLOAD_MIB);
        Map<String, Object> json = new LinkedHashMap<>();
        LocalRuntime runtime = LocalRuntime.start(0, 0, null, Config.DEFAULT_AUTH_CACHE_TTL, LogLevel.WARN);
        try {
            TestGraph graph = TestGraph.of(runtime.aws().config());
            String account = graph.accounts().create("bench-sftp", Plan.BUSINESS).id();
            FtpUser user = graph.ftpUsers().create(account, new FtpUserRepository.NewUser("partner",
                    PasswordHasher.hash(PASSWORD), true, true, "/", null), 250);
            json.putAll(logins(user));
            // Their own users: the wrong passwords lock theirs after ten (later refusals are of a locked login).
            FtpUser guessed = graph.ftpUsers().create(account, new FtpUserRepository.NewUser("guessed",
                    PasswordHasher.hash(PASSWORD), true, true, "/", null), 250);
            FtpUser disabled = graph.ftpUsers().create(account, new FtpUserRepository.NewUser("disabled",
                    PasswordHasher.hash(PASSWORD), true, false, "/", null), 250);
            json.putAll(refusals(guessed, disabled));
            json.putAll(upload(runtime, graph, user));
        } finally {
            runtime.close();
            runtime.aws().settings().keySet().forEach(System::clearProperty); // LocalRuntime set them for the handlers
        }
        return json;
    }

    private static Map<String, Object> logins(FtpUser user) throws Exception {
        SftpAuthHandler handler = new SftpAuthHandler(); // as Lambda makes it: configured from the environment
        Map<String, Object> request = attempt(user.login().toString(), PASSWORD);
        LocalContext context = new LocalContext("sftp-auth", LogLevel.WARN);
        for (int i = 0; i < 20; i++) {
            handler.handleRequest(request, context); // warm
        }
        long[] one = new long[LOGINS];
        long began = System.nanoTime();
        for (int i = 0; i < LOGINS; i++) {
            long start = System.nanoTime();
            if (handler.handleRequest(request, context).isEmpty()) {
                throw new IllegalStateException("a login was refused");
            }
            one[i] = System.nanoTime() - start;
        }
        double sequential = LOGINS / ((System.nanoTime() - began) / 1e9);
        int threads = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        began = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < LOGINS; i++) {
            done.add(pool.submit(() -> handler.handleRequest(request, context)));
        }
        for (Future<?> f : done) {
            f.get();
        }
        double parallel = LOGINS / ((System.nanoTime() - began) / 1e9);
        pool.shutdown();
        long[] argon = new long[50];
        for (int i = 0; i < argon.length; i++) {
            long start = System.nanoTime();
            PasswordHasher.verify(PASSWORD, user.passwordHash());
            argon[i] = System.nanoTime() - start;
        }
        Timings login = Timings.of(one);
        Timings check = Timings.of(argon);
        System.out.printf("    password login %s; %.1f logins/s one at a time, %.1f/s on %d threads; the Argon2id "
                + "check alone p50 %.1f ms (%.0f%% of a login)%n", login, sequential, parallel, threads,
                check.p50Ms(), 100 * check.p50Ms() / login.p50Ms());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("login", login.json());
        json.put("logins_per_second", Timings.round(sequential, 1));
        json.put("logins_per_second_parallel", Timings.round(parallel, 1));
        json.put("argon2_p50_ms", Timings.round(check.p50Ms(), 1));
        return json;
    }

    /**
     * Refusals of each kind, interleaved (the order rotating each round): their medians should lie within a few
     * milliseconds of each other, or a client could tell an unknown login from a wrong password by the time.
     */
    private static Map<String, Object> refusals(FtpUser user, FtpUser disabled) {
        SftpAuthHandler handler = new SftpAuthHandler();
        LocalContext context = new LocalContext("sftp-auth", LogLevel.ERROR);
        Map<String, Map<String, Object>> kinds = new LinkedHashMap<>();
        kinds.put("wrong_password", attempt(user.login().toString(), "not-the-password"));
        kinds.put("unknown_login", attempt("nobody." + user.accountId(), PASSWORD));
        kinds.put("malformed_login", attempt("../etc/passwd", PASSWORD));
        kinds.put("disabled_user", attempt(disabled.login().toString(), PASSWORD));
        List<String> names = new ArrayList<>(kinds.keySet());
        Map<String, List<Long>> nanos = new LinkedHashMap<>();
        for (int round = 0; round < REFUSAL_ROUNDS; round++) {
            Collections.rotate(names, 1);
            for (String kind : names) {
                long start = System.nanoTime();
                handler.handleRequest(kinds.get(kind), context);
                nanos.computeIfAbsent(kind, k -> new ArrayList<>()).add(System.nanoTime() - start);
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        StringBuilder line = new StringBuilder("    refusals, p50 over " + REFUSAL_ROUNDS + " interleaved rounds:");
        double min = Double.MAX_VALUE;
        double max = 0;
        for (Map.Entry<String, List<Long>> kind : nanos.entrySet()) {
            double p50 = Timings.of(kind.getValue()).p50Ms();
            min = Math.min(min, p50);
            max = Math.max(max, p50);
            json.put("refused_" + kind.getKey() + "_p50_ms", Timings.round(p50, 1));
            line.append(String.format(" %s %.1f ms;", kind.getKey().replace('_', ' '), p50));
        }
        json.put("refusal_spread_ms", Timings.round(max - min, 1));
        System.out.println(line + String.format(" spread %.1f ms", max - min));
        return json;
    }

    private static Map<String, Object> attempt(String login, String password) {
        return Map.of("username", login, "password", password, "protocol", "SFTP", "serverId", "bench",
                "sourceIp", "127.0.0.1");
    }

    private static Map<String, Object> upload(LocalRuntime runtime, TestGraph graph, FtpUser user) throws Exception {
        Path file = Files.createTempFile("trueftp-bench-", ".bin");
        byte[] chunk = new byte[1024 * 1024];
        new Random(7).nextBytes(chunk);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < UPLOAD_MIB; i++) {
                out.write(chunk);
            }
        }
        String bucket = runtime.aws().config().require(Config.FILES_BUCKET);
        String prefix = user.accountId() + "/" + user.id() + "/";
        long[] sftp = new long[UPLOAD_RUNS];
        long[] direct = new long[UPLOAD_RUNS];
        try (SshClient ssh = SshClient.setUpDefaultClient()) {
            ssh.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
            ssh.start();
            for (int run = 0; run < UPLOAD_RUNS; run++) { // interleaved: the machine's noise hits both alike
                String name = "big-" + run + ".bin";
                long start = System.nanoTime();
                try (ClientSession session = ssh.connect(user.login().toString(), "127.0.0.1", runtime.sftpPort())
                        .verify(10, TimeUnit.SECONDS).getSession()) {
                    session.addPasswordIdentity(PASSWORD);
                    session.auth().verify(10, TimeUnit.SECONDS);
                    try (SftpClient client = SftpClientFactory.instance().createSftpClient(session);
                         OutputStream out = client.write("/" + name);
                         InputStream in = Files.newInputStream(file)) {
                        in.transferTo(out);
                    }
                }
                sftp[run] = System.nanoTime() - start;
                start = System.nanoTime();
                graph.s3().putObject(p -> p.bucket(bucket).key(prefix + "direct-" + name), RequestBody.fromFile(file));
                direct[run] = System.nanoTime() - start;
            }
        } finally {
            Files.deleteIfExists(file);
        }
        Timings overSftp = Timings.of(sftp);
        Timings overS3 = Timings.of(direct);
        double sftpMibs = UPLOAD_MIB / (overSftp.medianMs() / 1000);
        double directMibs = UPLOAD_MIB / (overS3.medianMs() / 1000);
        System.out.printf("    %d MiB over SFTP (login included): median %.1f s, %.1f MiB/s; the same bytes PUT "
                + "straight to S3: median %.1f s, %.1f MiB/s; SFTP/direct time %.2f (%d runs each)%n", UPLOAD_MIB,
                overSftp.medianMs() / 1000, sftpMibs, overS3.medianMs() / 1000, directMibs,
                overSftp.medianMs() / overS3.medianMs(), UPLOAD_RUNS);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("upload_mib", UPLOAD_MIB);
        json.put("sftp_mib_per_second", Timings.round(sftpMibs, 1));
        json.put("direct_mib_per_second", Timings.round(directMibs, 1));
        json.put("sftp_to_direct_time", Timings.round(overSftp.medianMs() / overS3.medianMs(), 2));
        return json;
    }
}
