package io.ballast.signals;

import java.time.Duration;

/**
 * Event-time windows of {@code size}, starting every {@code advance} (tumbling when they are equal), that
 * accept samples until stream time passes their end by {@code grace}, as Kafka Streams' time windows do.
 */
public record WindowSpec(Duration size, Duration advance, Duration grace) {
    public WindowSpec {
        if (size.isZero() || size.isNegative()) {
            throw new IllegalArgumentException("window size must be positive, not " + size);
        }
        if (advance.isZero() || advance.isNegative() || advance.compareTo(size) > 0) {
            throw new IllegalArgumentException("window advance must be positive and at most the size (" + size + "), not " + advance);
        }
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative, not " + grace);
        }
    }

    /** The end of the last window a sample at {@code at} falls into. */
    public long lastWindowEnd(long at) {
        long advanceMs = advance.toMillis();
        return Math.floorDiv(at, advanceMs) * advanceMs + size.toMillis();
    }

    /**
     * Whether a sample at {@code at} comes too late for every window it falls into, once stream time
     * (the highest event time seen) is {@code streamTime}: the windows close at end + grace.
     */
    public boolean tooLate(long at, long streamTime) {
        return lastWindowEnd(at) + grace.toMillis() <= streamTime;
    }
}
