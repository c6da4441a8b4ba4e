package com.trueftp.admin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code --name value} options of one admin command, checked against the names it accepts. */
final class Options {
    private final Map<String, String> values = new LinkedHashMap<>();

    Options(String[] args, int from, Set<String> accepted, String command) {
        for (int i = from; i < args.length; i++) {
            String name = args[i];
            if (!name.startsWith("--") || !accepted.contains(name.substring(2))) {
                throw AdminException.usage("unknown option for " + command + ": " + name
                        + " (accepted: " + String.join(", ", accepted.stream().map(a -> "--" + a).sorted().toList()) + ")");
            }
            if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                throw AdminException.usage(name + " needs a value");
            }
            String value = args[++i];
            if (value.isBlank() || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw AdminException.usage(name + " must not be empty or contain control characters");
            }
            if (values.put(name.substring(2), value) != null) {
                throw AdminException.usage(name + " given twice");
            }
        }
    }

    Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    String require(String name) {
        return get(name).orElseThrow(() -> AdminException.usage("--" + name + " is required"));
    }

    Optional<Long> number(String name, long min, long max) {
        return get(name).map(v -> {
            try {
                long n = Long.parseLong(v);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw AdminException.usage("--" + name + " must be a whole number from " + min + " to " + max + ", got " + v);
        });
    }
}
