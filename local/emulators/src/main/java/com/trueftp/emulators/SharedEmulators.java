package com.trueftp.emulators;

import java.io.IOException;
import java.io.UncheckedIOException;

/** For tests: the emulators, started in memory once per JVM on first use and stopped when the JVM exits. */
public final class SharedEmulators {
    private static LocalAws aws;

    private SharedEmulators() {
    }

    public static synchronized LocalAws get() {
        if (aws == null) {
            try {
                aws = LocalAws.start(0, null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            LocalAws started = aws;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close));
        }
        return aws;
    }
}
