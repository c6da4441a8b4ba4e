package com.trueftp.webhooks;

import com.trueftp.core.Config;
import com.trueftp.core.RandomIds;

import javax.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Makes one delivery attempt of a queued job: signs and sends it, logs it, and on failure queues the next
 * attempt by the retry schedule. A webhook that keeps failing is paused (the circuit breaker): its jobs wait in
 * the queue, not in a sending function, and when the pause ends one attempt probes the receiver while the
 * others wait for its outcome. An attempt that takes long pauses the webhook too, so that a hanging receiver
 * holds one sender, not all of them.
 */
public class WebhookDispatcher {
    public static final String USER_AGENT = "TrueFTP-Webhooks/1";
    /** Failed attempts in a row (of answers) after which the webhook is paused; a timeout pauses it at once. */
    static final int PAUSE_AFTER_FAILURES = 3;
    /** Failed attempts in a row, over at least {@code WEBHOOK_DISABLE_AFTER_SECONDS}, that turn a webhook off. */
    static final int DISABLE_AFTER_FAILURES = 20;
    /** An attempt still unanswered after this pauses its webhook until it ends. */
    static final Duration SLOW = Duration.ofSeconds(2);
    /** Longer than any attempt (15 s): how long a probe or a slow attempt holds the others back. */
    static final Duration ATTEMPT_BOUND = Duration.ofSeconds(20);
    /** The longest pause is the schedule's third gap (30 minutes by default). */
    static final int LONGEST_PAUSE_GAP = 3;

    private final WebhookRepository webhooks;
    private final DeliveryLog log;
    private final DeliveryQueue queue;
    private final WebhookSender sender;
    private final RetrySchedule schedule;
    private final Clock clock;
    private final Duration disableAfter;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "webhook-slow-attempts");
        thread.setDaemon(true);
        return thread;
    });

    /** What became of a job. */
    public enum Result {
        /** Sent and answered with a 2xx. */
        DELIVERED,
        /** Sent and failed; retried later if the schedule allows. */
        FAILED,
        /** Not sent yet: queued again for its time (a long retry gap, a paused webhook). */
        WAITING,
        /** Not sent and never will be: the webhook is gone or off. */
        DROPPED
    }

    @Inject
    public WebhookDispatcher(WebhookRepository webhooks, DeliveryLog log, DeliveryQueue queue, WebhookSender sender,
                             RetrySchedule schedule, Clock clock, Config config) {
        this.webhooks = webhooks;
        this.log = log;
        this.queue = queue;
        this.sender = sender;
        this.schedule = schedule;
        this.clock = clock;
        this.disableAfter = config.webhookDisableAfter();
    }

    /** @throws RuntimeException when AWS fails: the message stays in the queue and comes back */
    public Result dispatch(DeliveryJob job) {
        Instant now = clock.instant();
        if (job.notBefore() != null && job.notBefore().isAfter(now)) {
            queue.sendLater(job, Duration.between(now, job.notBefore()));
            return Result.WAITING;
        }
        Optional<Webhook> found = webhooks.find(job.accountId(), job.webhookId());
        if (found.isEmpty() || (!found.get().active() && !job.kind().once())) {
            return Result.DROPPED; // deleted or turned off: no further deliveries start
        }
        Webhook webhook = found.get();
        if (!job.kind().once() && mustWait(webhook, now)) {
            Instant paused = webhook.health().pausedUntil();
            // Paused: until the pause ends. Another job probing the receiver: a moment, for its outcome.
            Instant until = paused.isAfter(now) ? paused : now.plus(SLOW);
            Instant at = until.plusMillis(ThreadLocalRandom.current().nextLong(1000)); // spread the waiting jobs
            queue.sendLater(job.notBefore(at), Duration.between(now, at));
            return Result.WAITING;
        }
        return attempt(webhook, job);
    }

    /** Paused, or the pause is over and another job is probing the receiver. */
    private boolean mustWait(Webhook webhook, Instant now) {
        Instant paused = webhook.health().pausedUntil();
        if (paused == null) {
            return false;
        }
        return paused.isAfter(now) || !webhooks.claimProbe(webhook, now.plus(ATTEMPT_BOUND));
    }

    private Result attempt(Webhook webhook, DeliveryJob job) {
        Instant started = clock.instant();
        String deliveryId = RandomIds.newSortableId("dlv", started.toEpochMilli());
        byte[] body = job.payload().getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = headers(webhook, job, deliveryId, started, body);
        AtomicBoolean slow = new AtomicBoolean();
        ScheduledFuture<?> slowMark = job.kind().once() ? null : timer.schedule(() -> {
            slow.set(true);
            webhooks.pauseAtLeastUntil(webhook, started.plus(ATTEMPT_BOUND));
        }, SLOW.toMillis(), TimeUnit.MILLISECONDS);
        WebhookSender.Outcome outcome;
        try {
            outcome = sender.send(new WebhookSender.Request(URI.create(webhook.url()), headers, body));
        } finally {
            if (slowMark != null) {
                slowMark.cancel(false);
            }
        }
        Instant finished = clock.instant();
        boolean gone = outcome.status() != null && outcome.status() == 410;
        Instant next = outcome.succeeded() || job.kind().once() || gone ? null
                : schedule.after(job.attempt(), outcome.retryAfter(), ThreadLocalRandom.current().nextDouble(-1, 1))
                .map(finished::plus).orElse(null);
        log.record(new Delivery(deliveryId, webhook.id(), webhook.accountId(), job.eventId(), job.eventType(),
                job.attempt(), outcome.succeeded(), outcome.status(), outcome.error(), outcome.durationMillis(),
                outcome.responseBody(), job.kind() == DeliveryJob.Kind.REDELIVERY, next, started, job.payload()));
        if (next != null) {
            queue.sendLater(job.next(next), Duration.between(finished, next));
        }
        if (!job.kind().once()) {
            recordHealth(webhook, outcome, gone, slow.get());
        }
        return outcome.succeeded() ? Result.DELIVERED : Result.FAILED;
    }

    private void recordHealth(Webhook webhook, WebhookSender.Outcome outcome, boolean gone, boolean markedSlow) {
        if (outcome.succeeded()) {
            if (!webhook.health().good() || markedSlow) {
                webhooks.recordSuccess(webhook);
            }
            return;
        }
        if (gone) {
            webhooks.disable(webhook, Webhook.GONE); // the receiver says it will never take deliveries again
            return;
        }
        long failures = webhook.health().consecutiveFailures() + 1;
        Instant pausedUntil = null;
        if (failures >= PAUSE_AFTER_FAILURES || WebhookSender.TIMEOUT.equals(outcome.error())) {
            int gap = (int) Math.min(Math.max(1, failures - PAUSE_AFTER_FAILURES + 1), LONGEST_PAUSE_GAP);
            pausedUntil = clock.instant().plus(schedule.gap(gap));
        }
        Optional<Webhook.Health> health = webhooks.recordFailure(webhook, pausedUntil);
        if (health.isPresent() && health.get().consecutiveFailures() >= DISABLE_AFTER_FAILURES
                && !health.get().failingSince().isAfter(clock.instant().minus(disableAfter))) {
            webhooks.disable(webhook, Webhook.FAILING);
        }
    }

    private Map<String, String> headers(Webhook webhook, DeliveryJob job, String deliveryId, Instant at, byte[] body) {
        long timestamp = at.getEpochSecond();
        var secrets = webhook.signing().secretsAt(at);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", USER_AGENT);
        headers.put("X-TrueFTP-Event", job.eventType());
        headers.put("X-TrueFTP-Webhook-Id", webhook.id());
        headers.put("X-TrueFTP-Delivery", deliveryId);
        headers.put("X-TrueFTP-Signature", WebhookSignatures.trueftpHeader(secrets, timestamp, body));
        headers.put("webhook-id", job.eventId());
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", WebhookSignatures.standardHeader(secrets, job.eventId(), timestamp, body));
        return headers;
    }
}
