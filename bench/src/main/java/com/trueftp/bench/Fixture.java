package com.trueftp.bench;

import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.trueftp.account.Account;
import com.trueftp.account.Plan;
import com.trueftp.auth.ApiKeyRepository.CreatedKey;
import com.trueftp.auth.Caller;
import com.trueftp.auth.Scope;
import com.trueftp.core.Config;
import com.trueftp.ftpuser.FtpUser;
import com.trueftp.ftpuser.FtpUserRepository;
import com.trueftp.local.LocalAws;
import com.trueftp.local.LocalGateway;
import com.trueftp.testing.TestGraph;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;

/**
 * What every benchmark runs on: the emulators in memory, the local gateway in front of the real handlers
 * (edge throttle off: it would refuse a benchmark's request rate), and a business account (room for 200
 * FTP users) with a read-write key whose hourly limit never refuses a benchmark, and one FTP user.
 */
final class Fixture implements AutoCloseable {
    static final int RATE_LIMIT = 1_000_000;
    static final String USERNAME = "bench";

    private final LocalAws aws;
    private final LocalGateway gateway;
    private final TestGraph graph;
    private final Account account;
    private final CreatedKey key;
    private final FtpUser user;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Fixture(LocalAws aws, LocalGateway gateway, TestGraph graph, Account account, CreatedKey key, FtpUser user) {
        this.aws = aws;
        this.gateway = gateway;
        this.graph = graph;
        this.account = account;
        this.key = key;
        this.user = user;
    }

    static Fixture start() throws IOException {
        LocalAws aws = LocalAws.start(0, null);
        // As LocalMain does: the handlers behind the gateway read these as their environment.
        aws.settings().forEach(System::setProperty);
        LocalGateway gateway = null;
        try {
            gateway = LocalGateway.start(0, Config.DEFAULT_AUTH_CACHE_TTL, LogLevel.WARN, false);
            TestGraph graph = TestGraph.of(aws.config());
            Account account = graph.accounts().create("bench", Plan.BUSINESS);
            CreatedKey key = graph.apiKeys().create(account.id(), "bench", EnumSet.of(Scope.READ, Scope.WRITE),
                    RATE_LIMIT, null);
            FtpUser user = graph.ftpUsers().create(account.id(), new FtpUserRepository.NewUser(USERNAME,
                    "$argon2id$bench", true, true, "/", null), Plan.BUSINESS.ftpUserLimit());
            return new Fixture(aws, gateway, graph, account, key, user);
        } catch (IOException | RuntimeException e) {
            close(aws, gateway);
            throw e;
        }
    }

    /** The handlers' configuration on the emulators. */
    Config config() {
        return aws.config();
    }

    /** The same, as the environment variables a function gets. */
    Map<String, String> settings() {
        return aws.settings();
    }

    Account account() {
        return account;
    }

    /** The key's caller, as the authorizer describes it to a function. */
    Caller caller() {
        return Caller.of(key.key(), account);
    }

    FtpUser user() {
        return user;
    }

    String baseUrl() {
        return gateway.baseUrl();
    }

    /** A request to {@code pathAndQuery} under the API's base path, with the key. */
    HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key.token());
    }

    /** Sends a request on the one keep-alive connection; anything but {@code expected} fails the benchmark. */
    HttpResponse<String> send(HttpRequest.Builder request, int expected) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(response.request().method() + " " + response.request().uri()
                    + " answered " + response.statusCode() + ": " + response.body());
        }
        return response;
    }

    @Override
    public void close() {
        graph.dynamoDb().close();
        close(aws, gateway);
    }

    private static void close(LocalAws aws, LocalGateway gateway) {
        if (gateway != null) {
            gateway.close();
        }
        aws.settings().keySet().forEach(System::clearProperty);
        aws.close();
    }
}
