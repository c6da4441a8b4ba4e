package com.trueftp.local;

import com.trueftp.account.Plan;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EdgeThrottleTest {
    @Test
    void aKeyGetsItsPlansBurstAtOnceThenIsRefused() {
        EdgeThrottle throttle = new EdgeThrottle();
        long started = System.nanoTime();
        int admitted = 0;
        for (int i = 0; i < Plan.PRO.throttleBurst() + 10; i++) {
            if (throttle.tryAcquire("usage-key-1", Plan.PRO)) {
                admitted++;
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        // The burst, plus whatever refilled while the loop ran (nothing, unless the machine paused it).
        assertThat(admitted).isGreaterThanOrEqualTo(Plan.PRO.throttleBurst())
                .isLessThanOrEqualTo(Plan.PRO.throttleBurst() + 1 + (int) (seconds * Plan.PRO.throttleRatePerSecond()));
        assertThat(admitted).isLessThan(Plan.PRO.throttleBurst() + 10);
    }

    @Test
    void keysHaveSeparateBucketsAndRefillOverTime() throws InterruptedException {
        EdgeThrottle throttle = new EdgeThrottle();
        while (throttle.tryAcquire("a", Plan.FREE)) {
            // drain a's bucket
        }
        assertThat(throttle.tryAcquire("b", Plan.FREE)).isTrue();
        Thread.sleep(1000 / Plan.FREE.throttleRatePerSecond() + 100);
        assertThat(throttle.tryAcquire("a", Plan.FREE)).isTrue();
    }
}
