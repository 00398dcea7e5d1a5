package io.ballast.embedded.junit;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition that no event announces (a rebalance settling, a view folding), checking it every 50 ms. */
public final class Await {
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private Await() {
    }

    /** Returns once {@code condition} holds; throws {@link AssertionError} naming {@code what} after {@code timeout}. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + timeout);
            }
            LockSupport.parkNanos(POLL_INTERVAL.toNanos());
        }
    }
}
