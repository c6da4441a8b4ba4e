package com.trueftp.emulators;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotification;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotificationRecord;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The S3 front tells of every object change as S3 does: one event notification per change, in S3's JSON shape
 * (read here with AWS's own parser), sent to an SQS queue — and of nothing that did not change an object.
 */
class S3NotificationsIT {
    private static final String BUCKET = "notified";
    private static Emulators emulators;
    private static S3Client s3;
    private static SqsClient sqs;
    private static String queue;

    @BeforeAll
    static void start() throws IOException {
        emulators = Emulators.start(0, null, BUCKET);
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("writer", "b"));
        s3 = S3Client.builder().endpointOverride(URI.create(emulators.s3Endpoint())).region(Region.US_EAST_1)
                .forcePathStyle(true).httpClient(UrlConnectionHttpClient.create()).credentialsProvider(credentials).build();
        sqs = SqsClient.builder().endpointOverride(URI.create(emulators.sqsEndpoint())).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create()).credentialsProvider(credentials).build();
        queue = sqs.createQueue(c -> c.queueName("s3-changes")).queueUrl();
        emulators.notifyS3ChangesTo(queue);
    }

    @AfterAll
    static void stop() {
        s3.close();
        sqs.close();
        emulators.close();
    }

    /**
     * The notifications sent so far, in the order sent, each parsed by AWS's parser: once {@code expected} came,
     * or after a 2 s wait when none are expected.
     */
    private static List<S3EventNotificationRecord> notifications(int expected) {
        List<S3EventNotificationRecord> records = new ArrayList<>();
        int rounds = expected == 0 ? 2 : 10;
        for (int round = 0; round < rounds && (expected == 0 || records.size() < expected); round++) {
            for (var message : sqs.receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages()) {
                records.addAll(S3EventNotification.fromJson(message.body()).getRecords());
                sqs.deleteMessage(d -> d.queueUrl(queue).receiptHandle(message.receiptHandle()));
            }
        }
        return records;
    }

    @Test
    void everyWriteAndDeleteIsOneNotificationInS3sShape() {
        String key = "acc/ftp/in/red flower+1.csv";
        String put = s3.putObject(p -> p.bucket(BUCKET).key(key), RequestBody.fromString("a,b\n")).versionId();
        s3.copyObject(c -> c.sourceBucket(BUCKET).sourceKey(key).destinationBucket(BUCKET).destinationKey("acc/copy.csv"));
        String upload = s3.createMultipartUpload(c -> c.bucket(BUCKET).key("acc/big.bin")).uploadId();
        String part = s3.uploadPart(u -> u.bucket(BUCKET).key("acc/big.bin").uploadId(upload).partNumber(1),
                RequestBody.fromBytes(new byte[1234])).eTag();
        s3.completeMultipartUpload(c -> c.bucket(BUCKET).key("acc/big.bin").uploadId(upload)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(part).build())));
        var deleted = s3.deleteObject(d -> d.bucket(BUCKET).key(key));

        List<S3EventNotificationRecord> records = notifications(4);

        assertThat(records).extracting(S3EventNotificationRecord::getEventName).containsExactly("ObjectCreated:Put",
                "ObjectCreated:Copy", "ObjectCreated:CompleteMultipartUpload", "ObjectRemoved:DeleteMarkerCreated");
        // As in a bucket with versioning: each change a version of its own, the answer and the notification agree.
        assertThat(deleted.deleteMarker()).isTrue();
        assertThat(records).extracting(r -> r.getS3().getObject().getVersionId()).doesNotHaveDuplicates()
                .doesNotContainNull().startsWith(put).endsWith(deleted.versionId());
        assertThat(records).extracting(r -> r.getUserIdentity().getPrincipalId()).containsOnly("AWS:writer");
        assertThat(records).extracting(r -> r.getS3().getObject().getUrlDecodedKey())
                .containsExactly(key, "acc/copy.csv", "acc/big.bin", key);
        assertThat(records.get(0).getS3().getObject().getKey()).isEqualTo("acc/ftp/in/red+flower%2B1.csv");
        assertThat(records).extracting(r -> r.getS3().getObject().getSizeAsLong()).containsExactly(4L, 4L, 1234L, null);
        assertThat(records.get(0).getS3().getObject().getETag()).matches("[0-9a-f]{32}");
        assertThat(records.get(3).getS3().getObject().getETag()).isEqualTo("d41d8cd98f00b204e9800998ecf8427e"); // marker's
        assertThat(records).allSatisfy(r -> {
            assertThat(r.getEventSource()).isEqualTo("aws:s3");
            assertThat(r.getEventVersion()).isEqualTo("2.1");
            assertThat(r.getS3().getBucket().getName()).isEqualTo(BUCKET);
            assertThat(r.getS3().getObject().getSequencer()).matches("[0-9A-F]{16}");
        });
        assertThat(records.get(3).getS3().getObject().getSequencer())
                .isGreaterThan(records.get(0).getS3().getObject().getSequencer()); // later change to the key
    }

    @Test
    void deleteObjectsTellsOfEachObjectItRemovedAndOfNoOther() {
        s3.putObject(p -> p.bucket(BUCKET).key("batch/a"), RequestBody.fromString("a"));
        s3.putObject(p -> p.bucket(BUCKET).key("batch/b"), RequestBody.fromString("bb"));
        notifications(2);

        var result = s3.deleteObjects(d -> d.bucket(BUCKET).delete(x -> x.objects(ObjectIdentifier.builder().key("batch/a").build(),
                ObjectIdentifier.builder().key("batch/b").eTag("\"0123456789abcdef0123456789abcdef\"").build(),
                ObjectIdentifier.builder().key("batch/never").build())));

        List<S3EventNotificationRecord> records = notifications(1);
        assertThat(records).extracting(r -> r.getEventName() + " " + r.getS3().getObject().getUrlDecodedKey())
                .containsExactly("ObjectRemoved:DeleteMarkerCreated batch/a"); // b's ETag did not match; never was not there
        assertThat(result.deleted()).filteredOn(d -> d.key().equals("batch/a")).singleElement()
                .satisfies(d -> assertThat(d.deleteMarkerVersionId()).isEqualTo(records.get(0).getS3().getObject().getVersionId()));
    }

    @Test
    void whatChangesNothingTellsNothing() {
        s3.putObject(p -> p.bucket(BUCKET).key("same/x"), RequestBody.fromString("x"));
        notifications(1);

        assertThatThrownBy(() -> s3.putObject(p -> p.bucket(BUCKET).key("same/x").ifNoneMatch("*"),
                RequestBody.fromString("y"))).isInstanceOf(S3Exception.class);
        s3.deleteObject(d -> d.bucket(BUCKET).key("same/never-there"));
        s3.getObject(g -> g.bucket(BUCKET).key("same/x")).abort();

        assertThat(notifications(0)).isEmpty();
    }
}
