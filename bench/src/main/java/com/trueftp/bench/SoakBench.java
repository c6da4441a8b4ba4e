package com.trueftp.bench;

import com.trueftp.core.Json;
import com.trueftp.testing.Multipart;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * (h) Soak: a mixed workload at a steady rate ({@value #RATE} requests a second, started on schedule whatever
 * the answers take) through the local gateway for the given time: account reads, user creates and deletes,
 * uploads, listings, download links, deletes and event pages in one business account. Each minute: requests,
 * errors (any 5xx, or an answer the request should not get), p99, and the runtime's memory (heap after a full
 * GC, and the process's resident set) — the figures a leak or a slowdown would show.
 */
final class SoakBench {
    static final int RATE = 20;
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final Duration length;

    SoakBench(Duration length) {
        this.length = length;
    }

    /** One answer: when it was asked, how long it took, whether it was an error. */
    private record Sample(long startedNanos, long tookNanos, boolean error) {
    }

    Map<String, Object> run() throws Exception {
        System.out.printf("(h) Soak: %d requests/s of a mixed workload through the local gateway for %s; per minute: "
                + "requests, errors, p99, heap after GC, resident set%n", RATE, length);
        List<Map<String, Object>> minutes = new ArrayList<>();
        try (Fixture fixture = Fixture.start()) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
            ExecutorService workers = Executors.newFixedThreadPool(32);
            ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
            AtomicInteger sequence = new AtomicInteger();
            Random random = new Random(7);
            long began = System.nanoTime();
            ScheduledFuture<?> ticking = clock.scheduleAtFixedRate(() -> {
                int n = sequence.incrementAndGet();
                int kind = random.nextInt(100);
                workers.execute(() -> samples.add(request(http, fixture, kind, n)));
            }, 0, 1_000_000 / RATE, TimeUnit.MICROSECONDS);
            long minutesTotal = Math.max(1, (length.toSeconds() + 59) / 60);
            for (int minute = 1; minute <= minutesTotal; minute++) {
                long end = began + Math.min(minute * MINUTE.toNanos(), length.toNanos());
                Thread.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000));
                List<Sample> these = new ArrayList<>();
                for (Sample sample = samples.poll(); sample != null; sample = samples.poll()) {
                    these.add(sample);
                }
                minutes.add(report(minute, these));
            }
            ticking.cancel(false);
            clock.shutdownNow();
            workers.shutdown();
            workers.awaitTermination(1, TimeUnit.MINUTES);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("rate_per_second", RATE);
        json.put("seconds", length.toSeconds());
        json.put("minutes", minutes);
        return json;
    }

    private static Sample request(HttpClient http, Fixture fixture, int kind, int n) {
        String files = "/ftp-users/" + fixture.user().id() + "/files";
        String path = "/soak/f" + (n % 50) + ".bin";
        HttpRequest.Builder request;
        if (kind < 25) {
            request = fixture.request("/account");
        } else if (kind < 35) {
            request = fixture.request("/events?limit=50");
        } else if (kind < 45) {
            request = fixture.request("/ftp-users?limit=20");
        } else if (kind < 50) {
            request = fixture.request("/ftp-users").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"soak" + n + "\",\"password\":\"a-strong-secret\"}"));
        } else if (kind < 70) {
            request = fixture.request(files + "?path=" + path).header("Content-Type", Multipart.CONTENT_TYPE)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Multipart.body("file", "f", new byte[1 + n % 20_000])));
        } else if (kind < 80) {
            request = fixture.request(files + "?path=/soak/");
        } else if (kind < 90) {
            request = fixture.request(files + "/download?path=" + path + "&redirect=false");
        } else {
            request = fixture.request(files + "?path=" + path).DELETE();
        }
        long started = System.nanoTime();
        boolean error;
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            // 404 (a file not there yet or deleted), 409 (racing on one path) and 403 (the user quota) are answers
            // the mix asks for; anything 5xx is an error.
            error = response.statusCode() >= 500;
            if (kind >= 45 && kind < 50 && response.statusCode() == 201) {
                deleteUserLater(http, fixture, response.body());
            }
        } catch (IOException | InterruptedException e) {
            error = true;
        }
        return new Sample(started, System.nanoTime() - started, error);
    }

    /** Users come and go, so that the account never reaches its user quota. */
    private static void deleteUserLater(HttpClient http, Fixture fixture, String created) throws IOException,
            InterruptedException {
        String id = (String) Json.readObject(created).get("id");
        http.send(fixture.request("/ftp-users/" + id).DELETE().build(), HttpResponse.BodyHandlers.discarding());
    }

    private static Map<String, Object> report(int minute, List<Sample> samples) throws IOException {
        long[] took = samples.stream().mapToLong(Sample::tookNanos).toArray();
        long errors = samples.stream().filter(Sample::error).count();
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long rss = residentSetBytes();
        Timings timings = took.length == 0 ? null : Timings.of(took);
        System.out.printf("    minute %2d: %5d requests, %d errors, %s, heap after GC %,d MiB, resident %,d MiB%n",
                minute, samples.size(), errors, timings == null ? "-" : timings, heap >> 20, rss >> 20);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("minute", minute);
        json.put("requests", samples.size());
        json.put("errors", errors);
        if (timings != null) {
            json.putAll(timings.json());
        }
        json.put("heap_after_gc_bytes", heap);
        json.put("resident_bytes", rss);
        return json;
    }

    /** VmRSS of this process (Linux), 0 where /proc is not there. */
    private static long residentSetBytes() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return 0;
        }
        return Files.readAllLines(status).stream().filter(l -> l.startsWith("VmRSS:"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).findFirst().orElse(0L);
    }
}
