package com.trueftp.local;

import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static com.trueftp.testing.Eventually.until;
import static com.trueftp.testing.Eventually.within;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every change to the files is an event within 2 s and counted, whoever made it, through {@code ./trueftp
 * local} as a client sees it: presigned uploads with a plain HTTP client, writes and deletes straight to the
 * S3 endpoint with the SDK (as the FTP side or an operator makes them), and the API's own changes, which are
 * events when their request returns and never twice.
 */
class FileActivityEndToEndIT {
    private static final Duration WITHIN = Duration.ofSeconds(2);

    @TempDir
    static Path data;
    static LocalRuntime runtime;
    static ApiClient client;
    static S3Client operator;
    static String bucket;
    String token;
    String user;
    String files;

    @BeforeAll
    static void start() throws Exception {
        runtime = LocalRuntime.start(0, data, Duration.ofSeconds(1), LogLevel.WARN);
        client = new ApiClient(runtime.baseUrl(), data);
        bucket = runtime.aws().config().require(com.trueftp.core.Config.FILES_BUCKET);
        // An operator with the AWS SDK and credentials of its own, straight to the S3 endpoint.
        operator = S3Client.builder().endpointOverride(URI.create(runtime.aws().s3Endpoint())).region(Region.US_EAST_1)
                .forcePathStyle(true).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("operator", "secret")))
                .build();
    }

    @AfterAll
    static void stop() {
        operator.close();
        runtime.close();
    }

    @BeforeEach
    void account() throws Exception {
        String account = (String) client.admin("create-account", "--plan", "business").json().get("id");
        // Tests poll for what happens after a request: more calls than the default hourly limit allows.
        token = (String) client.admin("create-key", "--account", account, "--scopes", "read,write",
                "--rate-limit", "100000").json().get("token");
        user = (String) ApiClient.json(client.send("POST", "/ftp-users", token,
                "{\"username\":\"partner\",\"password\":\"a-strong-secret\"}")).get("id");
        files = "/ftp-users/" + user + "/files";
    }

    private String accountId() throws Exception {
        return (String) ApiClient.json(client.get("/account", token)).get("id");
    }

    private long total(String type) throws Exception {
        return ((Number) ApiClient.json(client.get("/events?type=" + type + "&limit=1", token)).get("total")).longValue();
    }

    private List<String> eventsOnceThereAre(int count) {
        return until(WITHIN, () -> client.fileEvents(token), events -> events.size() >= count);
    }

    @Test
    void aPresignedPutIsAnUploadUrlEventWithin2sAndCounted() throws Exception {
        Map<String, Object> url = ApiClient.json(client.send("POST", files + "/upload-url?path=/drop/big.csv&size=11",
                token, null));
        HttpResponse<Void> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create((String) url.get("url")))
                .PUT(HttpRequest.BodyPublishers.ofString("hello world")).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(put.statusCode()).isEqualTo(200);

        assertThat(eventsOnceThereAre(1)).containsExactly("file.uploaded /drop/big.csv 11 upload_url");
        assertThat(client.storageUsed(token)).isEqualTo(11);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPresignedMultipartUploadIsOneUploadUrlEventOfWhatLanded() throws Exception {
        Map<String, Object> upload = ApiClient.json(client.send("POST", files + "/upload-url?path=/huge.bin&size="
                + (5L * 1024 * 1024 * 1024 + 1), token, null));
        HttpClient http = HttpClient.newHttpClient();
        String partUrl = (String) ((List<Map<String, Object>>) upload.get("parts")).get(0).get("url");
        HttpResponse<Void> part = http.send(HttpRequest.newBuilder(URI.create(partUrl))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[4096])).build(), HttpResponse.BodyHandlers.discarding());
        String completion = "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"
                + part.headers().firstValue("ETag").orElseThrow() + "</ETag></Part></CompleteMultipartUpload>";
        String complete = (String) ((Map<String, Object>) upload.get("complete")).get("url");
        assertThat(http.send(HttpRequest.newBuilder(URI.create(complete)).POST(HttpRequest.BodyPublishers.ofString(completion))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);

        assertThat(eventsOnceThereAre(1)).containsExactly("file.uploaded /huge.bin 4096 upload_url");
        assertThat(client.storageUsed(token)).isEqualTo(4096);
    }

    @Test
    void aWriteAndADeleteStraightToS3AreExternalEventsWithin2sAndCounted() throws Exception {
        String key = accountId() + "/" + user + "/from-outside/report.csv";
        operator.putObject(p -> p.bucket(bucket).key(key), RequestBody.fromString("12345"));
        assertThat(eventsOnceThereAre(1)).containsExactly("file.uploaded /from-outside/report.csv 5 external");
        assertThat(within(WITHIN, () -> client.storageUsed(token), 5L)).isEqualTo(5);

        operator.deleteObject(d -> d.bucket(bucket).key(key));

        assertThat(eventsOnceThereAre(2)).containsExactly("file.uploaded /from-outside/report.csv 5 external",
                "file.deleted /from-outside/report.csv 5 external");
        assertThat(within(WITHIN, () -> client.storageUsed(token), 0L)).isZero();
        // A multipart upload straight to S3 is one more.
        String big = accountId() + "/" + user + "/from-outside/parts.bin";
        String id = operator.createMultipartUpload(c -> c.bucket(bucket).key(big)).uploadId();
        String etag = operator.uploadPart(u -> u.bucket(bucket).key(big).uploadId(id).partNumber(1),
                RequestBody.fromBytes(new byte[300])).eTag();
        operator.completeMultipartUpload(c -> c.bucket(bucket).key(big).uploadId(id)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
        assertThat(eventsOnceThereAre(3)).last().isEqualTo("file.uploaded /from-outside/parts.bin 300 external");
    }

    @Test
    void theApisOwnChangesAreEventsWhenTheRequestReturnsAndNeverTwice() throws Exception {
        assertThat(client.send("POST", files + "?path=/in/a.txt", token, ApiClient.MULTIPART_TYPE,
                ApiClient.multipartFile("a.txt", "abc".getBytes(StandardCharsets.UTF_8))).statusCode()).isEqualTo(201);
        assertThat(client.send("POST", files + "/mkdir?path=/out/", token, null).statusCode()).isEqualTo(201);
        assertThat(client.send("DELETE", files + "?path=/in/a.txt", token, null).statusCode()).isEqualTo(204);
        List<String> atOnce = client.fileEvents(token);

        Thread.sleep(WITHIN.toMillis()); // S3's notifications of the same three changes are recorded meanwhile

        assertThat(atOnce).containsExactly("file.uploaded /in/a.txt 3 api", "folder.created /out/ 0 api",
                "file.deleted /in/a.txt 3 api");
        assertThat(client.fileEvents(token)).isEqualTo(atOnce);
        assertThat(client.storageUsed(token)).isZero();
    }

    @Test
    void aFolderOfAThousandFilesDeletedThroughTheApiIsOneEvent() throws Exception {
        String prefix = accountId() + "/" + user + "/batch/";
        IntStream.range(0, 1000).parallel().forEach(i -> operator.putObject(p -> p.bucket(bucket)
                .key(prefix + "f" + i + ".csv"), RequestBody.fromString("12")));
        assertThat(within(Duration.ofSeconds(30), () -> client.storageUsed(token), 2000L)).isEqualTo(2000);

        assertThat(client.send("DELETE", files + "?path=/batch/", token, null).statusCode()).isEqualTo(204);
        Thread.sleep(WITHIN.toMillis()); // the thousand removals S3 tells of are recorded meanwhile

        assertThat(total("folder.deleted")).isEqualTo(1);
        assertThat(total("file.deleted")).isZero();
        assertThat(client.fileEvents(token)).last().isEqualTo("folder.deleted /batch/ 2000 api");
        assertThat(total("file.uploaded")).isEqualTo(1000);
        assertThat(client.storageUsed(token)).isZero();
    }
}
