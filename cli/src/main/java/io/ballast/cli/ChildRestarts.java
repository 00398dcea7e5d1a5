package io.ballast.cli;

import java.time.Duration;

import io.ballast.supervise.Backoff;

/**
 * When {@code up} may restart a child that died: at once after a long good run, then after a backoff that
 * doubles with each death or failed start that follows too soon (a child that crashes as it starts must not
 * be restarted in a tight loop), and never gives up.
 */
final class ChildRestarts {
    private final Backoff backoff;
    private int consecutive;
    private long startedAt;
    private long nextAttemptAt;

    ChildRestarts(Backoff backoff, long nowMillis) {
        this.backoff = backoff;
        this.startedAt = nowMillis;
    }

    /** Whether a restart may be tried now. */
    boolean due(long nowMillis) {
        return nowMillis >= nextAttemptAt;
    }

    /** The child died (or a restart failed) at {@code nowMillis}: the wait before the next attempt. */
    Duration failed(long nowMillis) {
        boolean longRun = nowMillis - startedAt > backoff.max().toMillis();
        consecutive = longRun ? 1 : consecutive + 1;
        Duration wait = consecutive == 1 && longRun ? Duration.ZERO : backoff.delay(consecutive);
        nextAttemptAt = nowMillis + wait.toMillis();
        startedAt = Long.MAX_VALUE / 2;
        return wait;
    }

    /** A restart succeeded at {@code nowMillis}: its run counts from here. */
    void started(long nowMillis) {
        startedAt = nowMillis;
    }
}
