package com.trueftp.stack;

import com.trueftp.core.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;

/**
 * {@code DATA/local-stack.json}: written while {@code ./trueftp local} runs so that {@code ./trueftp admin --data
 * DATA} can reach the same emulators; removed on shutdown.
 *
 * @param apiUrl   the local gateway's base URL
 * @param pid      the process that runs the local stack
 * @param settings what the handlers are configured with (emulator endpoints, table names)
 */
public record LocalStackFile(String apiUrl, long pid, Map<String, String> settings) {
    public static final String NAME = "local-stack.json";

    public void write(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Path tmp = dataDir.resolve(NAME + ".tmp");
        Files.writeString(tmp, Json.pretty(Json.object("api_url", apiUrl, "pid", pid, "settings", settings)));
        Files.move(tmp, dataDir.resolve(NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The file of a local stack that is running now; empty when there is none, or its process has gone. */
    public static Optional<LocalStackFile> readRunning(Path dataDir) {
        Map<String, Object> json;
        try {
            json = Json.readObject(Files.readString(dataDir.resolve(NAME)));
        } catch (IOException e) {
            return Optional.empty();
        }
        long pid = ((Number) json.get("pid")).longValue();
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        Map<String, String> settings = (Map<String, String>) json.get("settings");
        return Optional.of(new LocalStackFile((String) json.get("api_url"), pid, settings));
    }

    public static void delete(Path dataDir) {
        try {
            Files.deleteIfExists(dataDir.resolve(NAME));
        } catch (IOException ignored) {
            // best effort on shutdown
        }
    }
}
