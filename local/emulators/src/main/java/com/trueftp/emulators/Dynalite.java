package com.trueftp.emulators;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * dynalite, the DynamoDB emulator, as a Node.js child process. It exits by itself when this JVM goes
 * away (its stdin closes), so a killed test run leaves nothing behind.
 */
public final class Dynalite implements AutoCloseable {
    private static final Pattern PORT_LINE = Pattern.compile("\\{\"port\":(\\d+)}");

    private final Process process;
    private final int port;

    private Dynalite(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * @param port    0 for any free port
     * @param dataDir null keeps the data in memory
     */
    public static Dynalite start(int port, Path dataDir) throws IOException {
        Path nodeDir = ProjectPaths.root().resolve("local/emulators/node");
        if (!Files.isDirectory(nodeDir.resolve("node_modules/dynalite"))) {
            throw new IllegalStateException("dynalite is not installed: run `npm ci` in " + nodeDir
                    + " (./trueftp local and ./trueftp test do it)");
        }
        List<String> command = new ArrayList<>(List.of("node", "dynalite-server.js", "--port", Integer.toString(port)));
        if (dataDir != null) {
            Files.createDirectories(dataDir);
            command.addAll(List.of("--path", dataDir.toAbsolutePath().toString()));
        }
        Process process = new ProcessBuilder(command).directory(nodeDir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String line;
        try {
            line = firstLine.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IOException("dynalite did not start within 20 s", e);
        }
        Matcher m = line == null ? null : PORT_LINE.matcher(line.trim());
        if (m == null || !m.matches()) {
            process.destroyForcibly();
            throw new IOException("dynalite did not start: " + line);
        }
        return new Dynalite(process, Integer.parseInt(m.group(1)));
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Freezes (SIGSTOP) or thaws (SIGCONT) the process: a DynamoDB that accepts connections and never answers. */
    void freeze(boolean frozen) {
        try {
            Process kill = new ProcessBuilder("kill", frozen ? "-STOP" : "-CONT", Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("could not " + (frozen ? "freeze" : "thaw") + " dynalite");
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not signal dynalite", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling dynalite", e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            freeze(false); // a frozen process would not act on SIGTERM
        }
        process.destroy(); // SIGTERM: dynalite closes its store cleanly
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
