package com.trueftp.functions.fileactivity;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.trueftp.account.Plan;
import com.trueftp.aws.Queues;
import com.trueftp.core.Config;
import com.trueftp.events.Event;
import com.trueftp.events.EventSource;
import com.trueftp.events.EventType;
import com.trueftp.files.FileActivity;
import com.trueftp.files.FileRecords;
import com.trueftp.files.FileStore;
import com.trueftp.files.StorageReservations;
import com.trueftp.ftpuser.FtpUser;
import com.trueftp.ftpuser.FtpUserRepository;
import com.trueftp.testing.AwsUnderTest;
import com.trueftp.testing.SampleEvents;
import com.trueftp.testing.TestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.model.Message;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The file-activity function fed S3's notifications as the emulators' S3 sends them to the file-changes queue,
 * against the emulators (DynamoDB, S3, SQS): every change is one event with its source and size, the storage
 * count follows what S3 holds, whatever the delivery does (twice, late, out of order, failing half-way).
 */
class FileActivityIT {
    private AwsUnderTest aws;
    private FileActivityHandler handler;
    private S3Client operator;
    private String account;
    private FtpUser user;
    private String queue;
    private String bucket;

    @BeforeEach
    void setUp() {
        aws = AwsUnderTest.emulators();
        handler = new FileActivityHandler(DaggerFileActivityComponent.factory().create(aws.config()));
        account = aws.accounts().create("Acme", Plan.PRO).id();
        user = aws.ftpUsers().create(account, new FtpUserRepository.NewUser("partner", "$argon2id$test", true, true,
                "/", null), 25);
        queue = aws.config().require(Queues.FILE_CHANGES.urlVariable());
        bucket = aws.config().require(Config.FILES_BUCKET);
        // Someone other than the API: its own credentials, so S3 names another principal.
        operator = S3Client.builder().endpointOverride(URI.create(aws.config().require(Config.S3_ENDPOINT)))
                .region(Region.US_EAST_1).forcePathStyle(true).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("operator", "x")))
                .build();
        aws.recordFileChanges(); // nothing left over from another test
    }

    @AfterEach
    void tearDown() {
        operator.close();
    }

    private String key(String path) {
        return account + "/" + user.id() + path;
    }

    /** The notifications S3 has sent so far, taken off the queue. */
    private List<SQSEvent.SQSMessage> notifications() {
        List<SQSEvent.SQSMessage> taken = new ArrayList<>();
        while (true) {
            List<Message> messages = aws.graph().sqs().receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10)
                    .waitTimeSeconds(0)).messages();
            if (messages.isEmpty()) {
                return taken;
            }
            for (Message message : messages) {
                SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
                record.setMessageId(message.messageId());
                record.setBody(message.body());
                record.setEventSource("aws:sqs");
                taken.add(record);
                aws.graph().sqs().deleteMessage(d -> d.queueUrl(queue).receiptHandle(message.receiptHandle()));
            }
        }
    }

    private SQSBatchResponse deliver(List<SQSEvent.SQSMessage> messages) {
        return deliver(handler, messages);
    }

    private static SQSBatchResponse deliver(FileActivityHandler to, List<SQSEvent.SQSMessage> messages) {
        SQSEvent event = new SQSEvent();
        event.setRecords(messages);
        return to.handleRequest(event, new TestContext());
    }

    private List<String> recorded() {
        List<Event> events = new ArrayList<>(aws.events().page(account, 0, 100).events());
        Collections.reverse(events); // oldest first
        return events.stream().filter(e -> e.path() != null).map(e -> e.type().id() + " " + e.path() + " " + e.size() + " " + e.source().id()
                + " " + e.username()).toList();
    }

    private long used() {
        return aws.accounts().get(account).storageBytesUsed();
    }

    @Test
    void aWriteAndADeleteStraightToS3AreOneExternalEventEachAndCounted() {
        operator.putObject(p -> p.bucket(bucket).key(key("/in/report.csv")), RequestBody.fromString("12345"));
        assertThat(deliver(notifications()).getBatchItemFailures()).isEmpty();
        assertThat(used()).isEqualTo(5);

        operator.deleteObject(d -> d.bucket(bucket).key(key("/in/report.csv")));
        deliver(notifications());

        assertThat(recorded()).containsExactly("file.uploaded /in/report.csv 5 external partner",
                "file.deleted /in/report.csv 5 external partner");
        assertThat(used()).isZero();
    }

    @Test
    void aFolderMarkerIsAFolderEvent() {
        operator.putObject(p -> p.bucket(bucket).key(key("/made-by-a-tool/")), RequestBody.empty());
        deliver(notifications());

        assertThat(recorded()).containsExactly("folder.created /made-by-a-tool/ 0 external partner");
    }

    @Test
    void aPresignedPutAndAPresignedMultipartUploadAreUploadUrlEvents() throws Exception {
        FileStore store = aws.graph().fileStore(); // signs with the API's credentials, as the files function does
        HttpClient http = HttpClient.newHttpClient();
        FileStore.Upload put = store.presignPut(key("/via-url.bin"), 11, Duration.ofMinutes(5));
        assertThat(http.send(HttpRequest.newBuilder(put.url()).PUT(HttpRequest.BodyPublishers.ofString("hello world"))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
        FileStore.MultipartUpload multipart = store.presignMultipart(key("/via-parts.bin"), 5L * 1024 * 1024 * 1024 + 1,
                Duration.ofMinutes(5));
        HttpResponse<Void> part = http.send(HttpRequest.newBuilder(multipart.parts().get(0).url())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[1234])).build(), HttpResponse.BodyHandlers.discarding());
        String completion = "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"
                + part.headers().firstValue("ETag").orElseThrow() + "</ETag></Part></CompleteMultipartUpload>";
        assertThat(http.send(HttpRequest.newBuilder(multipart.complete()).POST(HttpRequest.BodyPublishers.ofString(completion))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);

        deliver(notifications());

        assertThat(recorded()).containsExactlyInAnyOrder("file.uploaded /via-url.bin 11 upload_url partner",
                "file.uploaded /via-parts.bin 1234 upload_url partner");
        assertThat(used()).isEqualTo(1245);
    }

    @Test
    void anUploadUrlsRoomIsGivenBackWhenItsUploadIsRecorded() throws Exception {
        long limit = Plan.PRO.storageBytesLimit();
        StorageReservations reservations = new StorageReservations(aws.dynamo(), aws.events(), aws.config(),
                java.time.Clock.systemUTC());
        reservations.reserve(account, key("/held.bin"), limit - 5, limit, java.time.Instant.now().plusSeconds(600));
        FileStore.Upload put = aws.graph().fileStore().presignPut(key("/held.bin"), 5, Duration.ofMinutes(5));
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(put.url()).PUT(HttpRequest.BodyPublishers.ofString("12345"))
                .build(), HttpResponse.BodyHandlers.discarding());

        deliver(notifications());

        assertThat(used()).isEqualTo(5);
        // Held no more: the rest of the plan fits again.
        reservations.reserve(account, key("/next.bin"), limit - 5, limit, java.time.Instant.now().plusSeconds(600));
    }

    @Test
    void theApisOwnChangeRecordedFirstGetsNoSecondEventFromItsNotification() {
        FileStore store = aws.graph().fileStore();
        FileRecords.Standing before = aws.graph().fileRecords().read(account, key("/own.txt"));
        FileStore.Put put = store.put(key("/own.txt"), "abc".getBytes(java.nio.charset.StandardCharsets.UTF_8), "text/plain", null);
        FileActivity activity = aws.graph().fileActivity();
        assertThat(activity.recordOwn(user, new FileActivity.OwnChange(EventType.FILE_UPLOADED, "/own.txt",
                key("/own.txt"), put.versionId(), before, store.head(key("/own.txt")).orElseThrow(), 3L,
                StorageReservations.Reservation.NONE))).isPresent();

        deliver(notifications());
        deliver(notifications());

        assertThat(recorded()).containsExactly("file.uploaded /own.txt 3 api partner");
        assertThat(used()).isEqualTo(3);
    }

    @Test
    void notificationsTwiceAndInTheWrongOrderLeaveOneEventPerChangeAndTheExactCount() {
        operator.putObject(p -> p.bucket(bucket).key(key("/x.csv")), RequestBody.fromString("abc"));
        operator.putObject(p -> p.bucket(bucket).key(key("/x.csv")), RequestBody.fromString("abcdefg"));
        operator.putObject(p -> p.bucket(bucket).key(key("/y.csv")), RequestBody.fromString("y"));
        operator.deleteObject(d -> d.bucket(bucket).key(key("/x.csv")));
        List<SQSEvent.SQSMessage> told = notifications();
        assertThat(told).hasSize(4);
        List<SQSEvent.SQSMessage> reversed = new ArrayList<>(told);
        Collections.reverse(reversed);

        deliver(reversed.subList(0, 2)); // the delete and y's upload first
        deliver(told);                   // then everything, again
        deliver(reversed);

        // The delete was told before the uploads it removed: what it removed was not known yet (size 0).
        assertThat(recorded()).containsExactlyInAnyOrder("file.deleted /x.csv 0 external partner",
                "file.uploaded /y.csv 1 external partner", "file.uploaded /x.csv 3 external partner",
                "file.uploaded /x.csv 7 external partner");
        assertThat(used()).isEqualTo(1);
    }

    @Test
    void oneBatchWithEveryChangeOfAKeySizesTheRemovalByTheUploadBeforeIt() {
        operator.putObject(p -> p.bucket(bucket).key(key("/z.csv")), RequestBody.fromString("abc"));
        operator.putObject(p -> p.bucket(bucket).key(key("/z.csv")), RequestBody.fromString("abcdefg"));
        operator.deleteObject(d -> d.bucket(bucket).key(key("/z.csv")));
        List<SQSEvent.SQSMessage> reversed = new ArrayList<>(notifications());
        Collections.reverse(reversed);

        deliver(reversed);

        assertThat(recorded()).containsExactly("file.uploaded /z.csv 3 external partner",
                "file.uploaded /z.csv 7 external partner", "file.deleted /z.csv 7 external partner");
        assertThat(used()).isZero();
    }

    @Test
    void aBatchLargerThanATransactionIsRecordedWholeWithConsecutiveNumbers() {
        for (int i = 1; i <= 45; i++) { // more versions of one key than one transaction holds
            byte[] bytes = new byte[i];
            operator.putObject(p -> p.bucket(bucket).key(key("/hot.bin")), RequestBody.fromBytes(bytes));
        }
        for (int i = 0; i < 60; i++) {
            int n = i;
            operator.putObject(p -> p.bucket(bucket).key(key("/many/f" + n)), RequestBody.fromBytes(new byte[1]));
        }
        List<SQSEvent.SQSMessage> told = notifications();
        assertThat(told).hasSize(105);

        assertThat(deliver(told).getBatchItemFailures()).isEmpty();

        List<Event> events = new ArrayList<>(aws.events().page(account, 0, 100).events());
        events.addAll(aws.events().page(account, 100, 100).events());
        assertThat(events).extracting(Event::seq).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, 106).map(n -> 107 - n).boxed().toList());
        assertThat(events).filteredOn(e -> "/hot.bin".equals(e.path())).extracting(Event::size)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 45).map(n -> 46 - n).boxed()
                        .toList()); // newest first: each version once, in S3's order
        assertThat(used()).isEqualTo(45 + 60);
    }

    @Test
    void aBatchThatFailsIsReportedAndLosesNothingWhenItComesBack() {
        operator.putObject(p -> p.bucket(bucket).key(key("/a.bin")), RequestBody.fromBytes(new byte[10]));
        operator.putObject(p -> p.bucket(bucket).key(key("/b.bin")), RequestBody.fromBytes(new byte[20]));
        List<SQSEvent.SQSMessage> told = new ArrayList<>(notifications());
        SQSEvent.SQSMessage garbage = new SQSEvent.SQSMessage();
        garbage.setMessageId("not-a-notification");
        garbage.setBody("{\"hello\":\"world\"}");
        told.add(garbage);
        FileActivityHandler down = new FileActivityHandler(DaggerFileActivityComponent.factory().create(
                aws.config().with(Config.DYNAMODB_ENDPOINT, AwsUnderTest.unreachable().require(Config.DYNAMODB_ENDPOINT))));

        SQSBatchResponse failed = deliver(down, told);
        assertThat(failed.getBatchItemFailures()).hasSize(3);
        assertThat(recorded()).isEmpty();

        SQSBatchResponse retried = deliver(told); // SQS hands them out again
        assertThat(retried.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("not-a-notification");
        assertThat(recorded()).containsExactly("file.uploaded /a.bin 10 external partner",
                "file.uploaded /b.bin 20 external partner");
        assertThat(used()).isEqualTo(30);
    }

    @Test
    void theSampleBatchIsRecordedAsSftpAndExternalAndS3sTestMessageIsSkipped() {
        SQSEvent sample = SampleEvents.load("file-activity/s3-notifications.json", SQSEvent.class);
        String sampleUser = "ftp_00SAMPLEUSER0000000";
        for (SQSEvent.SQSMessage message : sample.getRecords()) {
            message.setBody(message.getBody().replace("acc_SAMPLEACCOUNT0000000", account).replace(sampleUser, user.id()));
        }
        FileActivityHandler sftpAware = new FileActivityHandler(DaggerFileActivityComponent.factory().create(
                aws.config().with(Config.SFTP_PRINCIPALS, "AROAEXAMPLESFTPROLE")));

        assertThat(sftpAware.handleRequest(sample, new TestContext()).getBatchItemFailures()).isEmpty();

        assertThat(recorded()).containsExactly("file.uploaded /incoming/q4 report(1).csv 1024 sftp partner",
                "file.deleted /incoming/q4 report(1).csv 1024 external partner");
        assertThat(used()).as("S3 holds nothing there: the count follows S3, not the notifications").isZero();
    }

    @Test
    void keysOutsideEveryUsersSpaceAreNoOnesChanges() {
        operator.putObject(p -> p.bucket(bucket).key("loose-file.txt"), RequestBody.fromString("x"));
        operator.putObject(p -> p.bucket(bucket).key(account + "/not-a-user/x"), RequestBody.fromString("x"));

        assertThat(deliver(notifications()).getBatchItemFailures()).isEmpty();
        assertThat(recorded()).isEmpty();
        assertThat(used()).isZero();
    }
}
