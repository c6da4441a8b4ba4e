package com.trueftp.emulators;

import com.adobe.testing.s3mock.S3MockApplication;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * S3Mock in this JVM, on a free HTTP port, with the files bucket created. With a data directory objects
 * survive a restart; without one they live in a temporary directory removed on close.
 */
final class S3Emulator implements AutoCloseable {
    private final S3MockApplication app;
    private final Path temporaryRoot;

    private S3Emulator(S3MockApplication app, Path temporaryRoot) {
        this.app = app;
        this.temporaryRoot = temporaryRoot;
    }

    static S3Emulator start(Path dataDir, String bucket) throws IOException {
        Path temporary = dataDir == null ? Files.createTempDirectory("trueftp-s3") : null;
        Map<String, Object> properties = new HashMap<>(); // start() changes the map: it must be mutable
        properties.put("com.adobe.testing.s3mock.store.root", (dataDir != null ? dataDir : temporary).toString());
        properties.put("com.adobe.testing.s3mock.store.retain-files-on-exit", "true");
        properties.put("com.adobe.testing.s3mock.store.initial-buckets", bucket);
        properties.put("http.port", "0");
        properties.put("server.port", "0"); // its HTTPS connector cannot be turned off: keep it off fixed ports
        properties.put("silent", "true");
        return new S3Emulator(S3MockApplication.start(properties), temporary);
    }

    String endpoint() {
        return "http://127.0.0.1:" + app.getHttpPort();
    }

    @Override
    public void close() {
        app.stop();
        if (temporaryRoot != null) {
            try (Stream<Path> files = Files.walk(temporaryRoot)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
