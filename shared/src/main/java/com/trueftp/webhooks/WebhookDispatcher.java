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
 * attempt by the retry schedule. Waiting is done in the queue, never in a sending function:
 * <ul>
 * <li>A receiver that answered 2xx lately is <em>trusted</em>: its deliveries go out side by side, at no extra
 * cost. Any other (new, failing, idle for minutes, or with an attempt unanswered after {@link #SLOW}) gets one
 * attempt at a time, the <em>probe</em> (claimed with a conditional write); the jobs that find a probe out wait
 * for its outcome, each wait twice the last. So a receiver that hangs holds one sender, not all of them.</li>
 * <li>A receiver that keeps failing is paused (the circuit breaker): its jobs wait in the queue till the pause
 * ends, then a probe tries it.</li>
 * </ul>
 */
public class WebhookDispatcher {
    public static final String USER_AGENT = "TrueFTP-Webhooks/1";
    /** Failed attempts in a row (of answers) after which the webhook is paused; a timeout pauses it at once. */
    static final int PAUSE_AFTER_FAILURES = 3;
    /** Failed attempts in a row, over at least {@code WEBHOOK_DISABLE_AFTER_SECONDS}, that turn a webhook off. */
    static final int DISABLE_AFTER_FAILURES = 20;
    /** An attempt still unanswered after this withdraws its receiver's trust until it ends. */
    static final Duration SLOW = Duration.ofSeconds(1);
    /** Longer than any attempt (15 s): how long a probe holds the others back at most. */
    static final Duration ATTEMPT_BOUND = Duration.ofSeconds(20);
    /** How long a success makes a receiver trusted; renewed by a success in its second half (a write a minute). */
    static final Duration TRUST = Duration.ofMinutes(2);
    /** The first wait for a probe's outcome; each next one doubles, up to {@link #LONGEST_WAIT}. */
    static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    static final Duration LONGEST_WAIT = Duration.ofSeconds(30);
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
        if (job.kind().once()) {
            return attempt(webhook, job, false); // now, whatever the receiver's health
        }
        Webhook.Health health = webhook.health();
        if (health.pausedAt(now)) {
            // The waiting jobs come back spread over as long again as the pause, not all at its end.
            long pause = Math.max(Duration.between(now, health.pausedUntil()).toMillis(), 1000);
            return waitUntil(job, health.pausedUntil().plusMillis(ThreadLocalRandom.current().nextLong(pause)), false);
        }
        if (health.trustedAt(now)) {
            return attempt(webhook, job, false);
        }
        boolean probeOut = health.probeUntil() != null && health.probeUntil().isAfter(now);
        if (!probeOut && webhooks.claimProbe(webhook, now, now.plus(ATTEMPT_BOUND))) {
            return attempt(webhook, job, true);
        }
        long wait = Math.min(FIRST_WAIT.toMillis() << Math.min(job.waits(), 10), LONGEST_WAIT.toMillis());
        return waitUntil(job, now.plusMillis(wait + ThreadLocalRandom.current().nextLong(wait / 2 + 1)), true);
    }

    /** Queues the job again for {@code at}, without an attempt. */
    private Result waitUntil(DeliveryJob job, Instant at, boolean forAProbe) {
        queue.sendLater(job.notBefore(at, forAProbe), Duration.between(clock.instant(), at));
        return Result.WAITING;
    }

    private Result attempt(Webhook webhook, DeliveryJob job, boolean probing) {
        Instant started = clock.instant();
        String deliveryId = RandomIds.newSortableId("dlv", started.toEpochMilli());
        byte[] body = job.payload().getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = headers(webhook, job, deliveryId, started, body);
        AtomicBoolean slow = new AtomicBoolean();
        ScheduledFuture<?> slowMark = job.kind().once() || probing ? null : timer.schedule(() -> {
            slow.set(true);
            webhooks.markSlow(webhook, started.plus(ATTEMPT_BOUND));
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
            recordHealth(webhook, outcome, gone, probing || slow.get(), finished);
        }
        return outcome.succeeded() ? Result.DELIVERED : Result.FAILED;
    }

    /** @param changed the attempt claimed the probe or withdrew trust, which the outcome must settle */
    private void recordHealth(Webhook webhook, WebhookSender.Outcome outcome, boolean gone, boolean changed,
                              Instant now) {
        Webhook.Health health = webhook.health();
        if (outcome.succeeded()) {
            boolean trustRenewed = health.trustedAt(now.plus(TRUST.dividedBy(2)));
            if (changed || !trustRenewed || health.consecutiveFailures() > 0 || health.pausedUntil() != null) {
                webhooks.recordSuccess(webhook, now.plus(TRUST));
            }
            return;
        }
        if (gone) {
            webhooks.disable(webhook, Webhook.GONE); // the receiver says it will never take deliveries again
            return;
        }
        long failures = health.consecutiveFailures() + 1;
        Instant pausedUntil = null;
        if (failures >= PAUSE_AFTER_FAILURES || WebhookSender.TIMEOUT.equals(outcome.error())) {
            int gap = (int) Math.min(Math.max(1, failures - PAUSE_AFTER_FAILURES + 1), LONGEST_PAUSE_GAP);
            pausedUntil = now.plus(schedule.gap(gap));
        }
        Optional<Webhook.Health> after = webhooks.recordFailure(webhook, pausedUntil);
        if (after.isPresent() && after.get().consecutiveFailures() >= DISABLE_AFTER_FAILURES
                && !after.get().failingSince().isAfter(now.minus(disableAfter))) {
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
