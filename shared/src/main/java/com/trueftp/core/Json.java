package com.trueftp.core;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.jr.ob.JSON;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON in and out, with plain maps and lists: small, no reflection on our types. */
public final class Json {
    private static final JSON JSON_IO = JSON.std
            .with(JSON.Feature.FAIL_ON_DUPLICATE_MAP_KEYS, JSON.Feature.WRITE_NULL_PROPERTIES);
    private static final JSON PRETTY = JSON_IO.with(JSON.Feature.PRETTY_PRINT_OUTPUT);

    /** Timestamps are always UTC with exactly three fraction digits, so they also sort as strings. */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Json() {
    }

    /** ISO-8601 UTC with milliseconds, e.g. {@code 2026-11-27T10:00:00.000Z}; null stays null. */
    public static String timestamp(Instant instant) {
        return instant == null ? null : TIMESTAMP.format(instant);
    }

    public static String write(Object value) {
        try {
            return JSON_IO.asString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String pretty(Object value) {
        try {
            return PRETTY.asString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a JSON object; anything else (array, scalar, malformed, trailing text) is an IOException. */
    public static Map<String, Object> readObject(String text) throws IOException {
        Object value;
        try (JsonParser parser = JSON_IO.getStreamingFactory().createParser(text)) {
            value = JSON_IO.anyFrom(parser);
            if (parser.nextToken() != null) {
                throw new IOException("unexpected text after the JSON value");
            }
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IOException("expected a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) map;
        return object;
    }

    /** An ordered object from alternating keys and values (null values are written as null). */
    public static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
