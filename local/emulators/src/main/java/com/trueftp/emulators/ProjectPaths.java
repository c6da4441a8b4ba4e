package com.trueftp.emulators;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds files of the checkout from wherever a test or the launcher runs. */
public final class ProjectPaths {
    private ProjectPaths() {
    }

    /** The checkout root: TRUEFTP_HOME if set, else the nearest parent of the working directory holding ./trueftp. */
    public static Path root() {
        String home = System.getProperty("trueftp.home", System.getenv("TRUEFTP_HOME"));
        if (home != null && !home.isBlank()) {
            return Path.of(home).toAbsolutePath();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("trueftp")) && Files.isDirectory(p.resolve("local"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the TrueFTP checkout from " + Path.of("").toAbsolutePath()
                + ": set TRUEFTP_HOME");
    }
}
