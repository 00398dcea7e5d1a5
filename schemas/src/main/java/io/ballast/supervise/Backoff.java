package io.ballast.supervise;

import java.time.Duration;

/**
 * Exponential backoff: {@code initial}, doubled after each consecutive failure, capped at {@code max}. A
 * loop that ran for longer than {@code max} since its last restart starts again from {@code initial}.
 */
public record Backoff(Duration initial, Duration max) {
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(30));

    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + " and " + max);
        }
    }

    /** The wait before restart number {@code consecutive} (1 for the first restart after a good run). */
    public Duration delay(int consecutive) {
        long millis = initial.toMillis();
        for (int i = 1; i < consecutive && millis < max.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }
}
