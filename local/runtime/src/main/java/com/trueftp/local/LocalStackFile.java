package com.trueftp.local;

import com.trueftp.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code DATA/local-stack.json}: written while {@code ./trueftp local} runs so that
 * {@code ./trueftp admin --data DATA} can reach the same emulators; removed on shutdown.
 */
public final class LocalStackFile {
    public static final String NAME = "local-stack.json";

    private LocalStackFile() {
    }

    static void write(Path dataDir, String apiUrl, Map<String, String> settings) throws IOException {
        Files.createDirectories(dataDir);
        Path tmp = dataDir.resolve(NAME + ".tmp");
        Files.writeString(tmp, Json.pretty(Json.object("api_url", apiUrl, "pid", ProcessHandle.current().pid(),
                "settings", settings)));
        Files.move(tmp, dataDir.resolve(NAME), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    static void delete(Path dataDir) {
        try {
            Files.deleteIfExists(dataDir.resolve(NAME));
        } catch (IOException ignored) {
            // best effort on shutdown
        }
    }
}
