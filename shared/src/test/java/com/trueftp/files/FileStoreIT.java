package com.trueftp.files;

import com.trueftp.core.Config;
import com.trueftp.testing.AwsUnderTest;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.RetryableException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.trueftp.files.FileStore.Written.REFUSED;
import static com.trueftp.files.FileStore.Written.STORED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The conditional writes and deletes that keep the storage count exact: an upload replaces only what it
 * measured, a deletion removes only what it listed (applied atomically per key, by S3 and by the emulators'
 * S3 front alike).
 */
class FileStoreIT {
    private final AwsUnderTest aws = AwsUnderTest.emulators();
    private final FileStore store = aws.graph().fileStore();

    @Test
    void aWriteForANewKeyFailsOnceTheKeyExists() {
        String key = "acc_test/ftp_test/new-" + System.nanoTime();
        assertThat(outcome(store.put(key, bytes("first"), "text/plain", null))).isEqualTo(STORED);
        assertThat(outcome(store.put(key, bytes("second"), "text/plain", null))).isEqualTo(REFUSED);
        assertThat(store.head(key).orElseThrow().size()).isEqualTo(5);
    }

    @Test
    void aReplacementFailsWhenTheFileChangedSinceItWasMeasured() {
        String key = "acc_test/ftp_test/replace-" + System.nanoTime();
        store.put(key, bytes("v1"), "text/plain", null);
        FileStore.ObjectInfo measured = store.head(key).orElseThrow();
        assertThat(outcome(store.put(key, bytes("v2-other"), "text/plain", measured))).isEqualTo(STORED); // another writer

        assertThat(outcome(store.put(key, bytes("v3"), "text/plain", measured))).isEqualTo(REFUSED);
        assertThat(store.head(key).orElseThrow().size()).isEqualTo(8);
    }

    @Test
    void anotherWriteOfTheSameBytesIsNotTakenForOurs() {
        String key = "acc_test/ftp_test/same-" + System.nanoTime();
        assertThat(outcome(store.put(key, bytes("same"), "text/plain", null))).isEqualTo(STORED);
        assertThat(outcome(store.put(key, bytes("same"), "text/plain", null))).as("equal bytes, someone else's write")
                .isEqualTo(REFUSED);
    }

    /**
     * Ours, not another writer's: not refused. Its version is not known (the answer was lost), so it is left to
     * S3's notification to record, as a write S3 did not answer.
     */
    @Test
    void aRetriedAttemptThatMeetsItsOwnLandedWriteIsUnknownNotRefused() {
        String key = "acc_test/ftp_test/retried-" + System.nanoTime();
        AtomicInteger lostAnswers = new AtomicInteger();
        ExecutionInterceptor loseFirstAnswer = new ExecutionInterceptor() {
            @Override
            public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
                if (context.httpRequest().method() == SdkHttpMethod.PUT && lostAnswers.getAndIncrement() == 0) {
                    throw RetryableException.create("the answer to a landed write was lost");
                }
            }
        };
        Config config = aws.config();
        try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(config.require(Config.S3_ENDPOINT)))
                .region(Region.of(config.require(Config.REGION))).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(o -> o.addExecutionInterceptor(loseFirstAnswer)).build()) {
            FileStore retrying = new FileStore(s3, aws.graph().presigner(), config);

            assertThat(outcome(retrying.put(key, bytes("mine"), "text/plain", null))).isEqualTo(FileStore.Written.UNKNOWN);
        }
        assertThat(lostAnswers).as("the SDK retried").hasValueGreaterThan(1);
        assertThat(store.head(key).orElseThrow().size()).isEqualTo(4);
    }

    @Test
    void concurrentWritesForANewKeyStoreExactlyOne() throws Exception {
        String key = "acc_test/ftp_test/contended-" + System.nanoTime();
        ExecutorService threads = Executors.newFixedThreadPool(20);
        try {
            List<Future<Boolean>> writes = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                writes.add(threads.submit(() -> outcome(store.put(key, bytes("same"), "text/plain", null)) == STORED));
            }
            int stored = 0;
            for (Future<Boolean> write : writes) {
                stored += write.get() ? 1 : 0;
            }
            assertThat(stored).isEqualTo(1);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aDeleteRemovesOnlyTheVersionItMeasured() {
        String key = "acc_test/ftp_test/delete-" + System.nanoTime();
        store.put(key, bytes("v1"), "text/plain", null);
        FileStore.ObjectInfo measured = store.head(key).orElseThrow();
        store.put(key, bytes("v2"), "text/plain", measured);

        assertThat(store.delete(key, measured.etag())).isEmpty();
        assertThat(store.head(key)).isPresent();
        assertThat(store.delete(key, store.head(key).orElseThrow().etag())).get().asString().isNotBlank();
        assertThat(store.delete(key, measured.etag())).as("already gone").isEmpty();
    }

    @Test
    void aBatchDeletionRemovesEachListedObjectOnceAndNamesItsDeletion() {
        String prefix = "acc_test/ftp_test/twice-" + System.nanoTime() + "/";
        store.put(prefix + "a", bytes("12345"), "text/plain", null);
        store.put(prefix + "b/c", bytes("123"), "text/plain", null);
        FileStore.Batch listed = store.listBatch(prefix, null);

        FileStore.Deletion first = store.deleteBatch(listed.objects());
        FileStore.Deletion again = store.deleteBatch(listed.objects());

        assertThat(first.removed()).extracting(FileStore.Removed::key, FileStore.Removed::size)
                .containsExactlyInAnyOrder(tuple(prefix + "a", 5L), tuple(prefix + "b/c", 3L));
        assertThat(first.removed()).extracting(FileStore.Removed::versionId).doesNotHaveDuplicates()
                .doesNotContain(S3ChangeNotices.NULL_VERSION);
        assertThat(again.removed()).as("gone already: removed by the first").isEmpty();
        assertThat(again.leftChanged()).isFalse();
        assertThat(store.listBatch(prefix, null).objects()).isEmpty();
    }

    @Test
    void aFolderDeletionLeavesAnObjectReplacedSinceItWasListed() {
        String prefix = "acc_test/ftp_test/listed-" + System.nanoTime() + "/";
        store.put(prefix + "a", bytes("12345"), "text/plain", null);
        String listed = store.head(prefix + "a").orElseThrow().etag();
        aws.s3().deleteObjects(b -> b.bucket(aws.config().require(Config.FILES_BUCKET)).delete(d -> d.objects(
                o -> o.key(prefix + "a").eTag("\"0123456789abcdef0123456789abcdef\""))));
        assertThat(store.head(prefix + "a")).as("a stale ETag deletes nothing").isPresent();

        var missing = aws.s3().deleteObjects(b -> b.bucket(aws.config().require(Config.FILES_BUCKET)).delete(d -> d
                .objects(o -> o.key(prefix + "never").eTag(listed)))).errors();
        assertThat(missing).extracting(e -> e.code()).containsExactly("NoSuchKey");
    }

    @Test
    void eachWriteMarksItsObjectAndTheVersionItReplaced() {
        String key = "acc_test/ftp_test/marks-" + System.nanoTime();
        FileStore.Put first = store.put(key, bytes("v1"), "text/plain", null);
        FileStore.ObjectInfo v1 = store.head(key).orElseThrow();
        FileStore.Put second = store.put(key, bytes("v2"), "text/plain", v1);
        FileStore.ObjectInfo v2 = store.head(key).orElseThrow();

        assertThat(v1.mark()).isEqualTo(first.mark()).isNotEqualTo(second.mark());
        assertThat(v1.replacedMark()).isEqualTo("none");
        assertThat(v2.mark()).isEqualTo(second.mark());
        assertThat(v2.replacedMark()).isEqualTo(first.mark());
    }

    @Test
    void aWriteS3NeverAnsweredIsUnknownNotLost() {
        Config config = aws.config();
        try (S3Client s3 = S3Client.builder().endpointOverride(URI.create("http://127.0.0.1:9"))
                .region(Region.of(config.require(Config.REGION))).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build()) {
            FileStore nowhere = new FileStore(s3, aws.graph().presigner(), config);
            assertThat(nowhere.put("acc_test/ftp_test/nowhere", bytes("x"), "text/plain", null).outcome())
                    .isEqualTo(FileStore.Written.UNKNOWN);
        }
    }

    private static FileStore.Written outcome(FileStore.Put put) {
        return put.outcome();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
