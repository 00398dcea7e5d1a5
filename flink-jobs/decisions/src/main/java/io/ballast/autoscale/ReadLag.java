package io.ballast.autoscale;

/**
 * How far behind the wall clock a reader's inputs have been lately: the largest (read time - event time) over the current
 * and the previous window. An evaluation that does not wait for the watermark is safe only while this is small: a task
 * under backpressure, re-reading its topics after a restore or reading a partition that lags reads inputs late, and they
 * would all come after an evaluation that did not wait for them. Not thread-safe: one per task.
 */
public final class ReadLag {
    private final long window;
    private long windowStart = Long.MIN_VALUE;
    private long current = Long.MIN_VALUE;
    private long previous = Long.MIN_VALUE;

    /** @param windowMillis how long an input's lag counts: at least this, at most twice this */
    public ReadLag(long windowMillis) {
        if (windowMillis <= 0) {
            throw new IllegalArgumentException("window must be positive: " + windowMillis);
        }
        this.window = windowMillis;
    }

    /** An input of event time {@code eventTime} read at {@code readAt} (both epoch milliseconds). */
    public void read(long eventTime, long readAt) {
        roll(readAt);
        current = Math.max(current, readAt - eventTime);
    }

    /** Whether inputs were read lately and none of them more than {@code bound} milliseconds after its event time. */
    public boolean within(long bound, long now) {
        roll(now);
        long lag = Math.max(current, previous);
        return lag != Long.MIN_VALUE && lag <= bound;
    }

    private void roll(long now) {
        if (windowStart == Long.MIN_VALUE) {
            windowStart = now;
        }
        if (now - windowStart >= 2 * window) {
            previous = Long.MIN_VALUE;
            current = Long.MIN_VALUE;
            windowStart = now;
        } else if (now - windowStart >= window) {
            previous = current;
            current = Long.MIN_VALUE;
            windowStart += window;
        }
    }
}
