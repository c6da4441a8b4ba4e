package com.trueftp.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * SSH key pairs made by OpenSSH's own {@code ssh-keygen}, as a user makes them: the public line is what a user pastes
 * into {@code ssh_public_keys}, the private file what {@code sftp -i} (or a client library) logs in with.
 */
public final class SshKeys {
    private SshKeys() {
    }

    /** A key pair in OpenSSH's files. */
    public record Pair(Path privateKey, String publicLine) {
    }

    /**
     * @param type ssh-keygen's {@code -t}: ed25519, ecdsa, rsa, dsa
     * @param bits its {@code -b} (0: the type's default)
     */
    public static Pair generate(Path folder, String type, int bits) {
        try {
            Files.createDirectories(folder);
            Path key = Files.createTempFile(folder, "id_" + type + bits + "_", "");
            Files.delete(key); // ssh-keygen writes it
            ProcessBuilder keygen = bits > 0
                    ? new ProcessBuilder("ssh-keygen", "-q", "-t", type, "-b", String.valueOf(bits), "-N", "", "-C",
                    "test@example", "-f", key.toString())
                    : new ProcessBuilder("ssh-keygen", "-q", "-t", type, "-N", "", "-C", "test@example", "-f",
                    key.toString());
            Process process = keygen.redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("ssh-keygen -t " + type + " failed: " + output);
            }
            return new Pair(key, Files.readString(Path.of(key + ".pub")).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
