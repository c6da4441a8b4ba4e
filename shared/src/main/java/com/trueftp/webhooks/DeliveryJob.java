package com.trueftp.webhooks;

import com.trueftp.core.Json;
import com.trueftp.events.Event;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;

/**
 * One event still to be delivered to one webhook: the body of a deliveries-queue message.
 *
 * @param payload   the exact body every attempt sends (its bytes are what the signatures cover)
 * @param attempt   the number of the attempt this message is for, from 1
 * @param notBefore no attempt before this (a retry further off than SQS can delay a message), or null
 * @param waits     how often the job waited for another attempt's outcome (each wait is twice the last)
 */
public record DeliveryJob(String accountId, String webhookId, String eventId, String eventType, String payload,
                          int attempt, Instant notBefore, Kind kind, int waits) {
    public static final String PING_TYPE = "webhook.ping";

    /** What the attempt is for: an event (retried on failure, counted in the webhook's health) or a one-off. */
    public enum Kind {
        EVENT, PING, REDELIVERY;

        /** One attempt only, whatever happens, and the webhook's failure count untouched. */
        public boolean once() {
            return this != EVENT;
        }
    }

    /** The first attempt of an event for a webhook; the body is the event exactly as {@code GET /events} shows it. */
    public static DeliveryJob of(String accountId, String webhookId, Event event) {
        return new DeliveryJob(accountId, webhookId, event.id(), event.type().id(),
                payload(event.id(), event.type().id(), event.createdAt(), event.toJson()), 1, null, Kind.EVENT, 0);
    }

    /** A {@code webhook.ping}, sent on request to check a receiver. */
    public static DeliveryJob ping(String accountId, String webhookId, String eventId, Instant at) {
        return new DeliveryJob(accountId, webhookId, eventId, PING_TYPE,
                payload(eventId, PING_TYPE, at, Json.object("webhook_id", webhookId)), 1, null, Kind.PING, 0);
    }

    /** A logged attempt sent again once, now: same event id, same body. */
    public static DeliveryJob redelivery(Delivery delivery) {
        return new DeliveryJob(delivery.accountId(), delivery.webhookId(), delivery.eventId(), delivery.eventType(),
                delivery.payload(), 1, null, Kind.REDELIVERY, 0);
    }

    private static String payload(String id, String type, Instant at, Map<String, Object> data) {
        return Json.write(Json.object("id", id, "type", type, "timestamp", Json.timestamp(at), "data", data));
    }

    public DeliveryJob next(Instant notBefore) {
        return new DeliveryJob(accountId, webhookId, eventId, eventType, payload, attempt + 1, notBefore, kind, 0);
    }

    /** The job again, not before {@code at}; {@code waited} counts one more wait for another attempt's outcome. */
    public DeliveryJob notBefore(Instant at, boolean waited) {
        return new DeliveryJob(accountId, webhookId, eventId, eventType, payload, attempt, at, kind,
                waited ? waits + 1 : waits);
    }

    public String toJson() {
        return Json.write(Json.object("account_id", accountId, "webhook_id", webhookId, "event_id", eventId,
                "event_type", eventType, "payload", payload, "attempt", attempt,
                "not_before", notBefore == null ? null : notBefore.toEpochMilli(), "kind", kind.name(), "waits", waits));
    }

    /** @throws IllegalArgumentException when the message is not a job (it then goes to the dead-letter queue) */
    public static DeliveryJob fromJson(String json) {
        try {
            Map<String, Object> m = Json.readObject(json);
            Object notBefore = m.get("not_before");
            return new DeliveryJob((String) m.get("account_id"), (String) m.get("webhook_id"),
                    (String) m.get("event_id"), (String) m.get("event_type"), (String) m.get("payload"),
                    ((Number) m.get("attempt")).intValue(),
                    notBefore == null ? null : Instant.ofEpochMilli(((Number) notBefore).longValue()),
                    Kind.valueOf((String) m.get("kind")),
                    m.get("waits") == null ? 0 : ((Number) m.get("waits")).intValue());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a delivery job", e);
        }
    }
}
