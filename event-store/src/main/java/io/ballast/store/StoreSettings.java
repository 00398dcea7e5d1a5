package io.ballast.store;

/**
 * @param maxEventBytes    the largest event (data and headers) an append takes
 * @param maxBatch         requests group-committed together at most
 * @param sync             fsync the write-ahead log before acknowledging (durable); off only for benchmarks' references
 * @param maxQueued        requests waiting for the committer at most; beyond it appends are refused
 *                         ({@link StoreOverloadedException}) rather than queued without bound
 * @param maxArchivedBytes the largest record ingest archives whole (above every topic's {@code max.message.bytes} in
 *                         the catalog); a larger one is kept as a refused-record entry
 * @param maxDiskBytes     the store's disk budget (SST files), enforced by RocksDB; 0 for none
 */
public record StoreSettings(int maxEventBytes, int maxBatch, boolean sync, int maxQueued, int maxArchivedBytes, long maxDiskBytes) {
    public static final StoreSettings DEFAULTS = new StoreSettings(1024 * 1024, 2000, true, 20_000, 16 * 1024 * 1024, 0);
    public static final int MAX_NAME_CHARS = 512;

    public StoreSettings {
        if (maxEventBytes <= 0 || maxBatch <= 0 || maxQueued <= 0 || maxArchivedBytes < maxEventBytes || maxDiskBytes < 0) {
            throw new IllegalArgumentException("store settings out of range: " + maxEventBytes + ", " + maxBatch + ", " + maxQueued
                    + ", " + maxArchivedBytes + ", " + maxDiskBytes);
        }
    }

    /** The defaults but for these three. */
    public StoreSettings(int maxEventBytes, int maxBatch, boolean sync) {
        this(maxEventBytes, maxBatch, sync, 20_000, Math.max(maxEventBytes, 16 * 1024 * 1024), 0);
    }

    public StoreSettings withMaxQueued(int queued) {
        return new StoreSettings(maxEventBytes, maxBatch, sync, queued, maxArchivedBytes, maxDiskBytes);
    }

    public StoreSettings withMaxDiskBytes(long bytes) {
        return new StoreSettings(maxEventBytes, maxBatch, sync, maxQueued, maxArchivedBytes, bytes);
    }
}
