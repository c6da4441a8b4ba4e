package com.trueftp.webhooks;

import com.trueftp.core.InvalidInputException;
import com.trueftp.core.NotFoundException;
import com.trueftp.core.RandomIds;

import javax.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The webhooks of an account: what the API does with them. Another account's webhook is not found, exactly
 * like an unknown one. A webhook's secret is shown when it is made (and rotated), never after.
 */
public class Webhooks {
    /** The most webhooks an account may have. */
    public static final int LIMIT = 20;
    public static final Duration MAX_PREVIOUS_SECRET_LIFETIME = Duration.ofDays(7);

    private final WebhookRepository webhooks;
    private final DeliveryLog deliveries;
    private final DeliveryQueue queue;
    private final WebhookTargets targets;
    private final Clock clock;

    /** A webhook and its secret, the one time the secret is shown. */
    public record WithSecret(Webhook webhook, String secret) {
    }

    public record Page<T>(List<T> items, long total) {
    }

    @Inject
    public Webhooks(WebhookRepository webhooks, DeliveryLog deliveries, DeliveryQueue queue, WebhookTargets targets,
                    Clock clock) {
        this.webhooks = webhooks;
        this.deliveries = deliveries;
        this.queue = queue;
        this.targets = targets;
        this.clock = clock;
    }

    /** No delivery is sent on create: a receiver only ever gets the types it asked for (or a ping it asks for). */
    public WithSecret create(String accountId, WebhookRepository.NewWebhook webhook) {
        targets.check(webhook.url());
        String secret = WebhookSignatures.newSecret();
        return new WithSecret(webhooks.create(accountId, webhook, secret, LIMIT), secret);
    }

    public Page<Webhook> list(String accountId, int offset, int limit) {
        return new Page<>(webhooks.list(accountId, offset, limit), webhooks.count(accountId));
    }

    public Webhook get(String accountId, String id) {
        return webhooks.get(accountId, id);
    }

    public Webhook update(String accountId, String id, WebhookRepository.Changes changes) {
        if (changes.url() == null && changes.events() == null && changes.description() == null
                && changes.active() == null) {
            throw new InvalidInputException("nothing to change: send at least one of url, events, description, active");
        }
        webhooks.get(accountId, id); // an unknown webhook is 404 before its new URL is judged
        if (changes.url() != null) {
            targets.check(changes.url());
        }
        return webhooks.update(accountId, id, changes);
    }

    /** Deliveries already queued find the webhook gone and stop. */
    public void delete(String accountId, String id) {
        if (!webhooks.delete(accountId, id)) {
            throw WebhookRepository.notFound();
        }
    }

    /**
     * A new secret; the old one keeps signing for {@code previousLifetime} (zero: it stops at once), so that
     * receivers can switch without missing a delivery.
     */
    public WithSecret rotateSecret(String accountId, String id, Duration previousLifetime) {
        webhooks.get(accountId, id);
        String secret = WebhookSignatures.newSecret();
        Instant previousExpiresAt = previousLifetime.isZero() ? null : clock.instant().plus(previousLifetime);
        return new WithSecret(webhooks.rotateSecret(accountId, id, secret, previousExpiresAt), secret);
    }

    /** Queues one {@code webhook.ping} to the webhook, on or off. @return the ping's event id */
    public String ping(String accountId, String id) {
        Webhook webhook = webhooks.get(accountId, id);
        String eventId = RandomIds.newId("evt");
        queue.send(List.of(DeliveryJob.ping(accountId, webhook.id(), eventId, clock.instant())));
        return eventId;
    }

    public Page<Delivery> deliveries(String accountId, String id, int offset, int limit) {
        Webhook webhook = webhooks.get(accountId, id);
        return new Page<>(deliveries.page(webhook.id(), offset, limit), deliveries.count(webhook.id()));
    }

    /**
     * Queues the logged attempt's event again, once, now: same event id (the receiver's idempotency key), also
     * while the webhook is off, without touching its failure count.
     */
    public void redeliver(String accountId, String id, String deliveryId) {
        Webhook webhook = webhooks.get(accountId, id);
        Delivery delivery = deliveries.find(webhook.id(), deliveryId)
                .orElseThrow(() -> new NotFoundException("delivery not found"));
        queue.send(List.of(DeliveryJob.redelivery(delivery)));
    }
}
