package com.trueftp.testing;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for what the stack does after a request has answered (S3's notifications recorded, webhooks sent): the
 * value is read again every 50 ms until it is what is expected or the time is up, and the last value read is
 * answered either way, for the test to assert on (a wrong value fails there, with its own message).
 */
public final class Eventually {
    private Eventually() {
    }

    public static <T> T within(Duration time, Supplier<T> read, T expected) {
        return until(time, read, value -> Objects.equals(value, expected));
    }

    public static <T> T until(Duration time, Supplier<T> read, Predicate<T> done) {
        long deadline = System.nanoTime() + time.toNanos();
        T value = read.get();
        while (!done.test(value) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return value;
            }
            value = read.get();
        }
        return value;
    }
}
