package com.trueftp.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The durations of repeated measurements and their statistics in milliseconds. Percentiles are nearest-rank
 * (the value at rank ceil(p/100 * n) of the ascending values): always a measured value, never interpolated.
 */
final class Timings {
    private final long[] nanos;
    private final long[] sorted;

    private Timings(long[] nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no measurements");
        }
        this.nanos = nanos.clone();
        this.sorted = nanos.clone();
        Arrays.sort(sorted);
    }

    static Timings of(long... nanos) {
        return new Timings(nanos);
    }

    static Timings of(List<Long> nanos) {
        return new Timings(nanos.stream().mapToLong(Long::longValue).toArray());
    }

    int count() {
        return nanos.length;
    }

    double percentileMs(int percentile) {
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return ms(sorted[Math.max(rank, 1) - 1]);
    }

    double p50Ms() {
        return percentileMs(50);
    }

    double p99Ms() {
        return percentileMs(99);
    }

    /** The middle value, or the mean of the two middle ones. */
    double medianMs() {
        int n = sorted.length;
        return n % 2 == 1 ? ms(sorted[n / 2]) : (ms(sorted[n / 2 - 1]) + ms(sorted[n / 2])) / 2;
    }

    double minMs() {
        return ms(sorted[0]);
    }

    double maxMs() {
        return ms(sorted[sorted.length - 1]);
    }

    double meanMs() {
        return Arrays.stream(nanos).average().orElseThrow() / 1e6;
    }

    double firstMs() {
        return ms(nanos[0]);
    }

    double lastMs() {
        return ms(nanos[nanos.length - 1]);
    }

    /** Every value in the order measured, rounded to {@code decimals}. */
    List<Double> allMs(int decimals) {
        return Arrays.stream(nanos).mapToObj(n -> round(ms(n), decimals)).toList();
    }

    /** The figures most reports give: how many, p50 and p99. */
    Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("requests", count());
        json.put("p50_ms", round(p50Ms(), 3));
        json.put("p99_ms", round(p99Ms(), 3));
        return json;
    }

    @Override
    public String toString() {
        return String.format("p50 %7.2f ms, p99 %7.2f ms", p50Ms(), p99Ms());
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
