package com.trueftp.functions.webhooks;

import com.trueftp.events.EventType;
import com.trueftp.http.ApiException;
import com.trueftp.http.DescriptionField;
import com.trueftp.webhooks.Webhook;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reads and checks the JSON fields of webhook requests; every problem is a 400 that names the field. */
final class WebhookInput {
    static final int MAX_DESCRIPTION = 500;
    static final Set<String> FIELDS = Set.of("url", "events", "description", "active");

    private final Map<String, Object> body;

    WebhookInput(Map<String, Object> body, Set<String> allowed) {
        Set<String> unknown = new TreeSet<>(body.keySet());
        unknown.removeAll(allowed);
        if (!unknown.isEmpty()) {
            throw ApiException.badRequest("unknown field" + (unknown.size() > 1 ? "s: " : ": ")
                    + String.join(", ", unknown) + " (allowed: " + String.join(", ", new TreeSet<>(allowed)) + ")");
        }
        this.body = body;
    }

    boolean has(String field) {
        return body.containsKey(field);
    }

    /** The URL as sent; whether it may be a webhook's is the domain's call. */
    String url() {
        if (!(body.get("url") instanceof String url)) {
            throw ApiException.badRequest(body.containsKey("url") ? "url must be a string" : "url is required");
        }
        return url;
    }

    /** Event types in the order given, each once; {@code ["*"]} for all. */
    List<String> events() {
        if (!(body.get("events") instanceof List<?> list) || list.isEmpty()) {
            throw ApiException.badRequest("events must be a non-empty list of event types, or [\"*\"] for all");
        }
        Set<String> types = new LinkedHashSet<>();
        for (Object item : list) {
            if (!(item instanceof String type)) {
                throw ApiException.badRequest("events must be a list of strings");
            }
            if (!type.equals(Webhook.ALL_EVENTS) && EventType.parse(type).isEmpty()) {
                throw ApiException.badRequest("unknown event type: " + type + " (known: " + String.join(", ",
                        Arrays.stream(EventType.values()).map(EventType::id).toList()) + ", or * for all)");
            }
            types.add(type);
        }
        if (types.contains(Webhook.ALL_EVENTS) && types.size() > 1) {
            throw ApiException.badRequest("events: \"*\" means every type and stands alone");
        }
        return new ArrayList<>(types);
    }

    /** The description, or "" to clear it (JSON null or an empty string). */
    String description() {
        return DescriptionField.read(body.get("description"), MAX_DESCRIPTION);
    }

    boolean bool(String field) {
        if (!(body.get(field) instanceof Boolean b)) {
            throw ApiException.badRequest(field + " must be true or false");
        }
        return b;
    }

    /** A whole number of seconds within the bounds. */
    long seconds(String field, long max) {
        Object value = body.get(field);
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 0
                || ((Number) value).longValue() > max) {
            throw ApiException.badRequest(field + " must be a whole number of seconds from 0 to " + max);
        }
        return ((Number) value).longValue();
    }
}
