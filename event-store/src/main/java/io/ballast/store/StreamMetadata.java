package io.ballast.store;

import java.time.Duration;

/**
 * A stream's retention, as EventStoreDB's {@code $maxAge} and {@code $maxCount}: reads of the stream leave
 * out events older than {@code maxAge} (by the time they were recorded) and all but the last
 * {@code maxCount}. Nothing is deleted: the global log, and so the Merkle log and its proofs, keep everything.
 *
 * @param maxAge   null for no age limit
 * @param maxCount 0 for no count limit
 */
public record StreamMetadata(Duration maxAge, long maxCount) {
    public static final StreamMetadata NONE = new StreamMetadata(null, 0);

    public StreamMetadata {
        if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
            throw new IllegalArgumentException("maxAge must be positive, not " + maxAge);
        }
        if (maxCount < 0) {
            throw new IllegalArgumentException("maxCount must not be negative, not " + maxCount);
        }
    }
}
