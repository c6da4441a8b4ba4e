package com.trueftp.admin;

import com.trueftp.core.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiFunction;

/** What one admin command line did: its exit code and what it printed. */
record Outcome(int exitCode, String stdout, String stderr) {
    static final String NL = System.lineSeparator();

    /** Runs {@code args} on the target {@code open} gives, as {@code ./trueftp admin args} would. */
    static Outcome of(BiFunction<Path, String, AdminTarget> open, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AdminCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), open);
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Map<String, Object> json() {
        try {
            return Json.readObject(stdout);
        } catch (IOException e) {
            throw new UncheckedIOException("not one JSON object: " + stdout + stderr, e);
        }
    }
}
