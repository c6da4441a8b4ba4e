package com.trueftp.webhooks;

import com.trueftp.events.Event;

import javax.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns new events into deliveries: one queued job per event and active webhook of its account that wants
 * the event's type. Fed by the events table's stream, the outbox: an event that is written is fanned out.
 */
public class WebhookFanOut {
    private final WebhookRepository webhooks;
    private final DeliveryQueue queue;

    /** An event and the account it belongs to. */
    public record AccountEvent(String accountId, Event event) {
    }

    @Inject
    public WebhookFanOut(WebhookRepository webhooks, DeliveryQueue queue) {
        this.webhooks = webhooks;
        this.queue = queue;
    }

    /**
     * Reads each account's webhooks once per batch, never from an older cache: a webhook made a moment before
     * an event gets it.
     *
     * @return how many jobs were queued
     */
    public int fanOut(List<AccountEvent> events) {
        Map<String, List<Webhook>> byAccount = new LinkedHashMap<>();
        List<DeliveryJob> jobs = new ArrayList<>();
        for (AccountEvent e : events) {
            List<Webhook> candidates = byAccount.computeIfAbsent(e.accountId(), webhooks::all);
            for (Webhook webhook : candidates) {
                // Only what happened since the webhook was made: the stream may still be carrying older events.
                if (webhook.active() && webhook.wants(e.event().type().id())
                        && !e.event().createdAt().isBefore(webhook.createdAt())) {
                    jobs.add(DeliveryJob.of(e.accountId(), webhook.id(), e.event()));
                }
            }
        }
        queue.send(jobs);
        return jobs.size();
    }
}
