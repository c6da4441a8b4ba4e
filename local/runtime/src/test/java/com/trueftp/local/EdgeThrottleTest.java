package com.trueftp.local;

import com.trueftp.account.Plan;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EdgeThrottleTest {
    @Test
    void aKeyGetsItsPlansBurstAtOnceThenIsRefused() {
        EdgeThrottle throttle = new EdgeThrottle();
        int admitted = 0;
        for (int i = 0; i < Plan.PRO.throttleBurst() + 10; i++) {
            if (throttle.tryAcquire("usage-key-1", Plan.PRO)) {
                admitted++;
            }
        }
        // The loop takes far less than the refill time of one token (50 ms at 20/s), give or take one.
        assertThat(admitted).isBetween(Plan.PRO.throttleBurst(), Plan.PRO.throttleBurst() + 1);
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
