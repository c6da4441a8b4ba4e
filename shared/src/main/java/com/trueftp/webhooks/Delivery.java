package com.trueftp.webhooks;

import com.trueftp.core.Json;

import java.time.Instant;
import java.util.Map;

/**
 * One attempt to deliver one event to one webhook, as the deliveries log keeps it.
 *
 * @param payload       the body that was sent, kept so that the attempt can be redelivered byte for byte
 * @param nextAttemptAt when the event will be tried again after this failure, null when it will not
 */
public record Delivery(String id, String webhookId, String accountId, String eventId, String eventType, int attempt,
                       boolean succeeded, Integer responseStatus, String error, long durationMillis,
                       String responseBody, boolean redelivery, Instant nextAttemptAt, Instant createdAt,
                       String payload) {

    /** The attempt as the API shows it. */
    public Map<String, Object> toJson() {
        return Json.object("id", id, "event_id", eventId, "event_type", eventType, "attempt", attempt,
                "status", succeeded ? "succeeded" : "failed", "response_status", responseStatus, "error", error,
                "duration_ms", durationMillis, "response_body", responseBody, "redelivery", redelivery,
                "next_attempt_at", Json.timestamp(nextAttemptAt), "created_at", Json.timestamp(createdAt));
    }
}
