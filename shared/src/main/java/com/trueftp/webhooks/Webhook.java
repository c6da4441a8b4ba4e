package com.trueftp.webhooks;

import com.trueftp.core.Json;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A receiver of an account's events: where they go, which types, whether it is on, how deliveries are signed
 * and how the receiver has been doing lately.
 *
 * @param events         event types, or {@link #ALL_EVENTS} alone for every type
 * @param disabledReason why the webhook was turned off by us ({@code gone}, {@code failing}), or null
 */
public record Webhook(String id, String accountId, String url, List<String> events, String description,
                      boolean active, String disabledReason, Signing signing, Health health, Instant createdAt,
                      Instant updatedAt) {
    public static final String ALL_EVENTS = "*";
    public static final String GONE = "gone";
    public static final String FAILING = "failing";

    /**
     * The secrets deliveries are signed with: the current one, and the one it replaced until that expires (a
     * receiver verifying with either keeps working through a rotation).
     */
    public record Signing(String secret, String previousSecret, Instant previousExpiresAt) {
        public List<String> secretsAt(Instant now) {
            List<String> secrets = new ArrayList<>(List.of(secret));
            if (previousSecret != null && previousExpiresAt != null && now.isBefore(previousExpiresAt)) {
                secrets.add(previousSecret);
            }
            return secrets;
        }

        @Override
        public String toString() {
            return "Signing[secrets hidden]"; // never in a log line
        }
    }

    /**
     * @param consecutiveFailures failed attempts since the last success
     * @param failingSince        the first of those failures, null when the last attempt succeeded
     * @param pausedUntil         no attempt starts before this (the circuit breaker), null when not paused
     */
    public record Health(long consecutiveFailures, Instant failingSince, Instant pausedUntil) {
        public static final Health GOOD = new Health(0, null, null);

        public boolean good() {
            return consecutiveFailures == 0 && pausedUntil == null;
        }
    }

    public boolean wants(String eventType) {
        return events.contains(ALL_EVENTS) || events.contains(eventType);
    }

    /** The webhook as the API shows it: never its secrets. */
    public Map<String, Object> toJson() {
        return Json.object("id", id, "url", url, "events", events, "description", description, "active", active,
                "disabled_reason", disabledReason, "created_at", Json.timestamp(createdAt),
                "updated_at", Json.timestamp(updatedAt));
    }
}
