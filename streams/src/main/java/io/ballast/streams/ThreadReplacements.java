package io.ballast.streams;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * How often a failed stream thread is replaced before the app gives up: at most {@code max} replacements in
 * any {@code window}. A thread that fails now and then (a broker restart, a timeout) is replaced; one that
 * fails again at once on the same input would loop forever, so past the budget the app shuts down and its
 * process exits for its supervisor to restart it with backoff.
 */
final class ThreadReplacements {
    private final int max;
    private final long windowMillis;
    private final Deque<Long> recent = new ArrayDeque<>();

    ThreadReplacements(int max, Duration window) {
        this.max = max;
        this.windowMillis = window.toMillis();
    }

    /** Whether the thread that failed at {@code nowMillis} may be replaced (and counts it if so). */
    synchronized boolean allow(long nowMillis) {
        while (!recent.isEmpty() && recent.peekFirst() <= nowMillis - windowMillis) {
            recent.removeFirst();
        }
        if (recent.size() >= max) {
            return false;
        }
        recent.addLast(nowMillis);
        return true;
    }
}
