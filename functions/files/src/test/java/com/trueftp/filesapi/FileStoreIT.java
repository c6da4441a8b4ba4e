package com.trueftp.filesapi;

import com.trueftp.aws.S3Module;
import com.trueftp.emulators.testing.AwsUnderTest;
import com.trueftp.files.FileStore;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conditional writes that keep the storage count exact: an upload replaces only what it measured.
 * (S3 applies them atomically; the S3 emulator checks them too, though not atomically under concurrency,
 * so this is proven step by step rather than by racing threads.)
 */
class FileStoreIT {
    private final AwsUnderTest aws = AwsUnderTest.emulators();
    private final FileStore store = new FileStore(aws.s3(), S3Module.presignerFrom(aws.config()), aws.config());

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

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
