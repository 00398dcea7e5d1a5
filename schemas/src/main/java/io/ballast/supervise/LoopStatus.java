package io.ballast.supervise;

import java.time.Instant;

/**
 * What a supervised loop is doing: running, waiting to restart after a failure, or stopped; how often it
 * was restarted and its last failure (one line, {@code null} if none).
 */
public record LoopStatus(String name, State state, long restarts, String lastFailure, boolean lastFailureTransient,
                         Instant lastFailureAt, Instant restartAt) {
    /** The closed set of a loop's states. */
    public enum State { RUNNING, RESTARTING, STOPPED }

    static LoopStatus starting(String name) {
        return new LoopStatus(name, State.RUNNING, 0, null, false, null, null);
    }

    LoopStatus running() {
        return new LoopStatus(name, State.RUNNING, restarts, lastFailure, lastFailureTransient, lastFailureAt, null);
    }

    LoopStatus failed(Throwable failure, Instant at, Instant restartAt) {
        return new LoopStatus(name, State.RESTARTING, restarts + 1, Failures.describe(failure), Failures.isTransient(failure), at,
                restartAt);
    }

    LoopStatus stopped() {
        return new LoopStatus(name, State.STOPPED, restarts, lastFailure, lastFailureTransient, lastFailureAt, null);
    }

    /** One line for a person: "ingest RESTARTING (3 restarts; last: ...)". */
    public String describe() {
        return name + " " + state + (restarts == 0 ? "" : " (" + restarts + " restart" + (restarts == 1 ? "" : "s") + "; last failure at "
                + lastFailureAt + ": " + lastFailure + (lastFailureTransient ? "" : " - needs a fix, not only a retry") + ")");
    }
}
