package com.trueftp.bench;

import com.trueftp.core.Config;

import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/** (b) The warm latency of GET /account through the local gateway: sequential requests on one connection. */
final class WarmLatencyBench {
    static final int WARMUP_REQUESTS = 200;
    static final int MEASURED_REQUESTS = 2_000;

    Map<String, Object> run() throws Exception {
        long ttl = Config.DEFAULT_AUTH_CACHE_TTL.toSeconds();
        System.out.printf("(b) Warm latency of GET /account through the local gateway: %d sequential requests "
                + "after %d warm-up requests%n", MEASURED_REQUESTS, WARMUP_REQUESTS);
        System.out.printf("    one HTTP/1.1 keep-alive connection (java.net.http), authorizer cache TTL %d s, "
                + "log level WARN, dynalite in memory%n", ttl);

        long[] nanos = new long[MEASURED_REQUESTS];
        try (Fixture fixture = Fixture.start()) {
            HttpRequest.Builder request = fixture.request("/account");
            for (int i = 0; i < WARMUP_REQUESTS; i++) {
                fixture.send(request, 200);
            }
            for (int i = 0; i < MEASURED_REQUESTS; i++) {
                long started = System.nanoTime();
                fixture.send(request, 200);
                nanos[i] = System.nanoTime() - started;
            }
        }

        Timings timings = Timings.of(nanos);
        System.out.printf("    p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms (mean %.2f ms, min %.2f ms)%n",
                timings.p50Ms(), timings.percentileMs(90), timings.p99Ms(), timings.maxMs(), timings.meanMs(),
                timings.minMs());

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("warmup_requests", WARMUP_REQUESTS);
        json.put("requests", MEASURED_REQUESTS);
        json.put("auth_cache_ttl_seconds", ttl);
        json.put("p50_ms", Timings.round(timings.p50Ms(), 3));
        json.put("p90_ms", Timings.round(timings.percentileMs(90), 3));
        json.put("p99_ms", Timings.round(timings.p99Ms(), 3));
        json.put("max_ms", Timings.round(timings.maxMs(), 3));
        json.put("min_ms", Timings.round(timings.minMs(), 3));
        json.put("mean_ms", Timings.round(timings.meanMs(), 3));
        return json;
    }
}
