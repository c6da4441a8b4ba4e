package com.trueftp.emulators;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The S3 event notifications S3Mock does not send: one message per object change, in S3's own JSON shape
 * (event version 2.1), sent to an SQS queue as S3 sends them. Keys are form-encoded as S3 encodes them (a space
 * is {@code +}, a slash stays); every change gets the next {@code sequencer}, a fixed-width hex number, so that
 * the later of two changes to one key has the greater one, as S3 promises. Delivery is once, in order — S3
 * promises less (at least once, any order); tests that need duplicates or disorder make them.
 */
final class S3Notifications {
    private static final String REGION = ElasticMq.REGION;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI queueUrl;
    private final AtomicLong sequencer = new AtomicLong(System.currentTimeMillis() << 16);

    /** @param queueUrl an SQS queue URL of the SQS emulator (its query API takes the message) */
    S3Notifications(String queueUrl) {
        this.queueUrl = URI.create(queueUrl);
    }

    /** {@code ObjectCreated:Put}, {@code :Copy} or {@code :CompleteMultipartUpload}, with the new object's size and ETag. */
    void created(String how, String bucket, String key, long size, String etag) throws IOException, InterruptedException {
        send(record("ObjectCreated:" + how, bucket, "\"key\":\"" + encode(key) + "\",\"size\":" + size
                + ",\"eTag\":\"" + json(etag.replace("\"", "")) + "\""));
    }

    /** {@code ObjectRemoved:Delete}: no size, as S3 sends none for a removal. */
    void removed(String bucket, String key) throws IOException, InterruptedException {
        send(record("ObjectRemoved:Delete", bucket, "\"key\":\"" + encode(key) + "\""));
    }

    private String record(String eventName, String bucket, String object) {
        String now = TIME.format(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        return "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"" + REGION + "\","
                + "\"eventTime\":\"" + now + "\",\"eventName\":\"" + eventName + "\","
                + "\"userIdentity\":{\"principalId\":\"AWS:LOCAL\"},"
                + "\"requestParameters\":{\"sourceIPAddress\":\"127.0.0.1\"},"
                + "\"responseElements\":{\"x-amz-request-id\":\"LOCAL\",\"x-amz-id-2\":\"LOCAL\"},"
                + "\"s3\":{\"s3SchemaVersion\":\"1.0\",\"configurationId\":\"local\","
                + "\"bucket\":{\"name\":\"" + json(bucket) + "\",\"ownerIdentity\":{\"principalId\":\"LOCAL\"},"
                + "\"arn\":\"arn:aws:s3:::" + json(bucket) + "\"},"
                + "\"object\":{" + object + ",\"sequencer\":\"" + String.format("%016X", sequencer.incrementAndGet())
                + "\"}}}]}";
    }

    /** As S3 writes a key into an event: form-encoded (a space is +), slashes left as they are. */
    static String encode(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
    }

    private static String json(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private void send(String body) throws IOException, InterruptedException {
        String form = "Action=SendMessage&Version=2012-11-05&MessageBody=" + URLEncoder.encode(body, StandardCharsets.UTF_8);
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(queueUrl)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IOException("the SQS emulator refused a notification: " + answer.statusCode() + " " + answer.body());
        }
    }
}
