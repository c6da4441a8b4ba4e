package com.trueftp.bench;

import com.trueftp.aws.AwsModule;
import com.trueftp.core.UnavailableException;
import com.trueftp.events.Event;
import com.trueftp.events.EventLog;
import com.trueftp.events.EventType;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * (g) One account's write rate under contention: every change of an account records its event in turn
 * ({@code AccountTurns}), so this is the most changes per second one account takes, however many writers.
 * W writers (1, 8, 24, 40) append events to one account, each its share of {@value #APPENDS} appends, straight
 * through the {@link EventLog} the functions use (no HTTP, no password hashing): appends per second, the wait
 * of one append (queue included), and how many answered 503. Then the same writers appending batches of
 * {@value #BATCH} events, one turn and one allocation of numbers each (what the file-activity function does with
 * a batch of one account's changes): events per second.
 */
final class AccountWritesBench {
    static final int APPENDS = 400;
    static final int[] WRITERS = {1, 8, 24, 40};
    static final int BATCH = 40;
    static final int BATCHED_EVENTS = 4000;

    Map<String, Object> run() throws Exception {
        System.out.printf("(g) One account's write rate under contention: W writers share %d event appends to one "
                + "account through EventLog (DynamoDB emulator, no HTTP)%n", APPENDS);
        Map<String, Object> json = new LinkedHashMap<>();
        try (Fixture fixture = Fixture.start(); DynamoDbClient dynamo = AwsModule.dynamoDbBuilder(fixture.config()).build()) {
            EventLog log = new EventLog(dynamo, fixture.config(), Clock.systemUTC());
            for (int writers : WRITERS) {
                json.put("writers_" + writers, measure(log, fixture.account().id(), writers));
            }
            for (int writers : new int[] {1, 8}) {
                json.put("batches_writers_" + writers, measureBatches(log, fixture.account().id(), writers));
            }
        }
        return json;
    }

    private static Map<String, Object> measureBatches(EventLog log, String accountId, int writers) throws Exception {
        List<Event.Draft> drafts = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            drafts.add(new Event.Draft(EventType.FILE_UPLOADED, "ftp_bench", "bench", "/b" + i, 1L));
        }
        List<Long> waits = Collections.synchronizedList(new ArrayList<>());
        double seconds = race(writers, BATCHED_EVENTS / BATCH, i -> {
            long began = System.nanoTime();
            log.appendAll(accountId, List.of(new EventLog.Part(drafts, EventLog.AccountChange.NONE, List.of())));
            waits.add(System.nanoTime() - began);
        });
        Timings timings = Timings.of(waits);
        double rate = waits.size() * BATCH / seconds;
        System.out.printf("    %2d writers of batches of %d: %6.1f events/s, one batch %s%n", writers, BATCH, rate,
                timings);
        Map<String, Object> json = new LinkedHashMap<>(timings.json());
        json.put("events_per_second", Math.round(rate * 10) / 10.0);
        return json;
    }

    /** One step of a writer: its i-th of its share. */
    private interface Step {
        void run(int i) throws Exception;
    }

    /** The writers start together, each taking its share of {@code steps}; the seconds until the last is done. */
    private static double race(int writers, int steps, Step step) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int share = steps / writers + (w < steps % writers ? 1 : 0);
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < share; i++) {
                    step.run(i);
                }
                return null;
            }));
        }
        long began = System.nanoTime();
        start.countDown();
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        return (System.nanoTime() - began) / 1e9;
    }

    private static Map<String, Object> measure(EventLog log, String accountId, int writers) throws Exception {
        List<Long> waits = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger unavailable = new AtomicInteger();
        double seconds = race(writers, APPENDS, i -> {
            long began = System.nanoTime();
            try {
                log.append(accountId, new Event.Draft(EventType.FILE_UPLOADED, "ftp_bench", "bench", "/f" + i, 1L),
                        EventLog.AccountChange.NONE, List.of());
                waits.add(System.nanoTime() - began);
            } catch (UnavailableException e) {
                unavailable.incrementAndGet();
            }
        });
        Timings timings = Timings.of(waits);
        double rate = waits.size() / seconds;
        System.out.printf("    %2d writers: %6.1f appends/s, one append %s, %d answered 503%n", writers, rate, timings,
                unavailable.get());
        Map<String, Object> json = new LinkedHashMap<>(timings.json());
        json.put("appends_per_second", Math.round(rate * 10) / 10.0);
        json.put("unavailable", unavailable.get());
        return json;
    }
}
