package io.ballast.store;

/**
 * @param maxEventBytes  the largest event (data and headers) an append takes
 * @param maxBatch       requests group-committed together at most
 * @param sync           fsync the write-ahead log before acknowledging (durable); off only for benchmarks' references
 */
public record StoreSettings(int maxEventBytes, int maxBatch, boolean sync) {
    public static final StoreSettings DEFAULTS = new StoreSettings(1024 * 1024, 2000, true);
    public static final int MAX_NAME_CHARS = 512;
}
