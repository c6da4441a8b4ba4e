package com.trueftp.files;

import com.trueftp.files.FileStore;
import com.trueftp.testing.AwsUnderTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conditional writes that keep the storage count exact: an upload replaces only what it measured.
 * (S3 applies them atomically; the S3 emulator checks them too, though not atomically under concurrency,
 * so this is proven step by step rather than by racing threads.)
 */
class FileStoreIT {
    private final AwsUnderTest aws = AwsUnderTest.emulators();
    private final FileStore store = aws.graph().fileStore();

    @Test
    void aWriteForANewKeyFailsOnceTheKeyExists() {
        String key = "acc_test/ftp_test/new-" + System.nanoTime();
        assertThat(store.put(key, bytes("first"), "text/plain", null)).isTrue();
        assertThat(store.put(key, bytes("second"), "text/plain", null)).isFalse();
        assertThat(store.head(key).orElseThrow().size()).isEqualTo(5);
    }

    @Test
    void aReplacementFailsWhenTheFileChangedSinceItWasMeasured() {
        String key = "acc_test/ftp_test/replace-" + System.nanoTime();
        store.put(key, bytes("v1"), "text/plain", null);
        String measured = store.head(key).orElseThrow().etag();
        assertThat(store.put(key, bytes("v2-other"), "text/plain", measured)).isTrue(); // another writer

        assertThat(store.put(key, bytes("v3"), "text/plain", measured)).isFalse();
        assertThat(store.head(key).orElseThrow().size()).isEqualTo(8);
    }

    @Test
    void aRetriedWriteThatMeetsItsOwnBytesCountsAsStored() {
        String key = "acc_test/ftp_test/retried-" + System.nanoTime();
        assertThat(store.put(key, bytes("same"), "text/plain", null)).isTrue();
        assertThat(store.put(key, bytes("same"), "text/plain", null)).as("our attempt had landed").isTrue();
        assertThat(store.put(key, bytes("other"), "text/plain", null)).as("someone else's").isFalse();
    }

    @Test
    void aDeleteRemovesOnlyTheVersionItMeasured() {
        String key = "acc_test/ftp_test/delete-" + System.nanoTime();
        store.put(key, bytes("v1"), "text/plain", null);
        String measured = store.head(key).orElseThrow().etag();
        store.put(key, bytes("v2"), "text/plain", measured);

        assertThat(store.delete(key, measured)).isFalse();
        assertThat(store.head(key)).isPresent();
        assertThat(store.delete(key, store.head(key).orElseThrow().etag())).isTrue();
        assertThat(store.delete(key, measured)).as("already gone").isFalse();
    }

    @Test
    void deletingAFolderTwiceReportsItsBytesOnce() {
        String prefix = "acc_test/ftp_test/twice-" + System.nanoTime() + "/";
        store.put(prefix + "a", bytes("12345"), "text/plain", null);
        store.put(prefix + "b/c", bytes("123"), "text/plain", null);
        List<Long> reported = new ArrayList<>();

        assertThat(store.deleteAll(prefix, reported::add)).isEqualTo(8);
        assertThat(store.deleteAll(prefix, reported::add)).isZero();
        assertThat(reported.stream().mapToLong(Long::longValue).sum()).isEqualTo(8);
    }

    @Test
    void theEtagOfOnePutIsTheQuotedMd5() {
        String key = "acc_test/ftp_test/etag-" + System.nanoTime();
        store.put(key, bytes("hello"), "text/plain", null);
        assertThat(store.head(key).orElseThrow().etag()).isEqualTo(FileStore.etagOf(bytes("hello")))
                .isEqualTo("\"5d41402abc4b2a76b9719d911017c592\"");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
