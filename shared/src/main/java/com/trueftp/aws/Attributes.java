package com.trueftp.aws;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.Map;

/** DynamoDB attribute values in and out, spelled one way for every table. */
public final class Attributes {
    private Attributes() {
    }

    public static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    public static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    /** A string attribute, or null when the item has none. */
    public static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    /** A number attribute, or 0 when the item has none (counters start at nothing). */
    public static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? 0 : Long.parseLong(value.n());
    }

    /** A timestamp stored as ISO-8601 text, or null when the item has none. */
    public static Instant instant(Map<String, AttributeValue> item, String name) {
        String value = text(item, name);
        return value == null ? null : Instant.parse(value);
    }

    /** True when the read found an item (GetItem answers an empty map, or none, for a missing key). */
    public static boolean found(Map<String, AttributeValue> item) {
        return item != null && !item.isEmpty();
    }
}
