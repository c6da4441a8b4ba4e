package com.trueftp.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TimingsTest {
    private static final long MS = 1_000_000;

    @Test
    void percentilesAreNearestRankOfTheMeasuredValues() {
        Timings timings = Timings.of(4 * MS, 1 * MS, 3 * MS, 2 * MS); // in the order measured, not sorted

        assertThat(timings.p50Ms()).isEqualTo(2.0); // rank ceil(0.5 * 4) = 2
        assertThat(timings.percentileMs(90)).isEqualTo(4.0); // rank ceil(3.6) = 4
        assertThat(timings.percentileMs(1)).isEqualTo(1.0);
        assertThat(timings.minMs()).isEqualTo(1.0);
        assertThat(timings.maxMs()).isEqualTo(4.0);
        assertThat(timings.firstMs()).isEqualTo(4.0);
        assertThat(timings.lastMs()).isEqualTo(2.0);
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(Timings.of(4 * MS, 1 * MS, 3 * MS, 2 * MS).medianMs()).isEqualTo(2.5);
        assertThat(Timings.of(5 * MS, 1 * MS, 3 * MS).medianMs()).isEqualTo(3.0);
    }

    @Test
    void reportsKeepTheirOrderAndRounding() {
        Timings timings = Timings.of(1_234_567, 2_345_678);

        assertThat(timings.allMs(1)).containsExactly(1.2, 2.3);
        assertThat(timings.json()).containsEntry("requests", 2).containsEntry("p50_ms", 1.235)
                .containsEntry("p99_ms", 2.346);
        assertThat(Timings.round(2.0049, 2)).isEqualTo(2.0);
    }
}
