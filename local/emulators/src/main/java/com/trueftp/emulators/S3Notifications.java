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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    /** SendMessageBatch takes at most ten messages. */
    private static final int BATCH = 10;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;

    /** The MD5 of nothing: a delete marker's ETag. */
    private static final String EMPTY_ETAG = "d41d8cd98f00b204e9800998ecf8427e";

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI queueUrl;
    private final AtomicLong sequencer = new AtomicLong(System.currentTimeMillis() << 16);

    /** @param queueUrl an SQS queue URL of the SQS emulator (its query API takes the message) */
    S3Notifications(String queueUrl) {
        this.queueUrl = URI.create(queueUrl);
    }

    /** A new object version: its size, ETag and version id. */
    record Version(long size, String etag, String versionId) {
    }

    /** {@code ObjectCreated:Put}, {@code :Copy} or {@code :CompleteMultipartUpload}, with the new version. */
    void created(String how, String bucket, String key, Version version, String principal)
            throws IOException, InterruptedException {
        send(List.of(record("ObjectCreated:" + how, bucket, principal, "\"key\":\"" + encode(key) + "\",\"size\":"
                + version.size() + ",\"eTag\":\"" + json(version.etag().replace("\"", "")) + "\",\"versionId\":\""
                + json(version.versionId()) + "\"")));
    }

    /**
     * {@code ObjectRemoved:DeleteMarkerCreated}, as a bucket with versioning sends for a delete: the marker's
     * version id and the empty object's ETag, no size (S3 sends none for a removal).
     */
    void removed(String bucket, String key, String markerVersionId, String principal)
            throws IOException, InterruptedException {
        send(List.of(removal(bucket, key, markerVersionId, principal)));
    }

    /** One removal per key (key → its delete marker's version id), ten to an SQS call, in the given order. */
    void removedAll(String bucket, Map<String, String> markers, String principal) throws IOException, InterruptedException {
        List<String> bodies = new ArrayList<>();
        markers.forEach((key, marker) -> bodies.add(removal(bucket, key, marker, principal)));
        for (int from = 0; from < bodies.size(); from += BATCH) {
            send(bodies.subList(from, Math.min(bodies.size(), from + BATCH)));
        }
    }

    private String removal(String bucket, String key, String markerVersionId, String principal) {
        return record("ObjectRemoved:DeleteMarkerCreated", bucket, principal, "\"key\":\"" + encode(key)
                + "\",\"eTag\":\"" + EMPTY_ETAG + "\",\"versionId\":\"" + json(markerVersionId) + "\"");
    }

    private String record(String eventName, String bucket, String principal, String object) {
        String now = TIME.format(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        return "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"" + REGION + "\","
                + "\"eventTime\":\"" + now + "\",\"eventName\":\"" + eventName + "\","
                + "\"userIdentity\":{\"principalId\":\"" + json(principal) + "\"},"
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

    /** Up to ten messages in one SendMessageBatch, in order. */
    private void send(List<String> bodies) throws IOException, InterruptedException {
        StringBuilder form = new StringBuilder("Action=SendMessageBatch&Version=2012-11-05");
        for (int i = 0; i < bodies.size(); i++) {
            String entry = "&SendMessageBatchRequestEntry." + (i + 1) + ".";
            form.append(entry).append("Id=m").append(i).append(entry).append("MessageBody=")
                    .append(URLEncoder.encode(bodies.get(i), StandardCharsets.UTF_8));
        }
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(queueUrl)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200 || answer.body().contains("BatchResultErrorEntry")) {
            throw new IOException("the SQS emulator refused a notification: " + answer.statusCode() + " " + answer.body());
        }
    }
}
