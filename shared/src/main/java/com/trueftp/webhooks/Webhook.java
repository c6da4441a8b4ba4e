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
     * How the receiver has been doing, which decides how attempts are admitted ({@link WebhookDispatcher}).
     *
     * @param consecutiveFailures failed attempts since the last success
     * @param failingSince        the first of those failures, null when the last attempt succeeded
     * @param pausedUntil         no attempt starts before this (the circuit breaker), null when not paused
     * @param trustedUntil        till then attempts go out side by side (recent successes), null when not trusted
     * @param probeUntil          one attempt is out on an untrusted or slow receiver till then at most, null if none
     */
    public record Health(long consecutiveFailures, Instant failingSince, Instant pausedUntil, Instant trustedUntil,
                         Instant probeUntil) {
        public static final Health NEW = new Health(0, null, null, null, null);

        public boolean pausedAt(Instant now) {
            return pausedUntil != null && pausedUntil.isAfter(now);
        }

        /** Trusted, and no attempt of it is slow right now. */
        public boolean trustedAt(Instant now) {
            return trustedUntil != null && trustedUntil.isAfter(now) && (probeUntil == null || !probeUntil.isAfter(now));
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
