package io.ballast.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.Env;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.SstFileManager;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The store's RocksDB and every native handle it needs (options, column families, write options, the disk
 * budget's file manager), opened together and closed together, once.
 */
final class StoreFiles implements AutoCloseable {
    static final List<String> FAMILIES = List.of("log", "streams", "stream_meta", "types", "times", "merkle", "offsets", "event_ids",
            "tree_heads");
    /** Families read by key, mostly for keys they do not hold. */
    private static final java.util.Set<String> POINT_READ = java.util.Set.of("event_ids", "stream_meta");
    /** RocksDB's own family: the store id and the markers. */
    static final String DEFAULT = "default";

    static {
        RocksDB.loadLibrary();
    }

    private final RocksDB db;
    private final DBOptions dbOptions;
    private final SstFileManager files;
    private final List<ColumnFamilyOptions> familyOptions = new ArrayList<>();
    private final List<BloomFilter> filters = new ArrayList<>();
    private final Map<String, ColumnFamilyHandle> families = new HashMap<>();
    private final ColumnFamilyHandle defaultFamily;
    private final WriteOptions writeOptions;
    private volatile long maxDiskBytes;
    private boolean closed;

    StoreFiles(Path dir, StoreSettings settings) throws RocksDBException {
        this.maxDiskBytes = settings.maxDiskBytes();
        this.files = settings.maxDiskBytes() > 0 ? new SstFileManager(Env.getDefault()) : null;
        this.dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
        if (files != null) {
            files.setMaxAllowedSpaceUsage(settings.maxDiskBytes());
            dbOptions.setSstFileManager(files);
        }
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, options(false, false)));
        for (String name : FAMILIES) {
            descriptors.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), options(name.equals("log"), POINT_READ.contains(name))));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try {
            this.db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
        } catch (RocksDBException e) {
            closeOptions();
            throw e;
        }
        this.defaultFamily = handles.get(0);
        for (int i = 0; i < FAMILIES.size(); i++) {
            families.put(FAMILIES.get(i), handles.get(i + 1));
        }
        this.writeOptions = new WriteOptions().setSync(settings.sync());
    }

    /**
     * ZSTD on every level, the flush's included: most of what the store writes has rising keys (positions, times,
     * versions), which RocksDB moves down the levels without rewriting, so a file keeps the compression it was
     * flushed with. The log's blocks are 16 KiB (a block compresses better the more records it holds, and the
     * log is read in scans); the point-read families keep 4 KiB blocks.
     */
    private ColumnFamilyOptions options(boolean log, boolean pointRead) {
        ColumnFamilyOptions o = new ColumnFamilyOptions().setNumLevels(7)
                .setCompressionType(CompressionType.ZSTD_COMPRESSION)
                .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION);
        if (log) {
            o.setLevelCompactionDynamicLevelBytes(true).setTableFormatConfig(new BlockBasedTableConfig().setBlockSize(16 * 1024));
        }
        if (pointRead) {
            // most of these lookups miss (is this event id stored? this new stream's version?): a Bloom filter
            // answers them without reading a block (~1.2 bytes a key on disk)
            BloomFilter bloom = new BloomFilter(10, false);
            filters.add(bloom);
            o.setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(bloom))
                    .setMemtableWholeKeyFiltering(true).setMemtablePrefixBloomSizeRatio(0.05);
        }
        familyOptions.add(o);
        return o;
    }

    RocksDB db() {
        return db;
    }

    ColumnFamilyHandle family(String name) {
        return DEFAULT.equals(name) ? defaultFamily : families.get(name);
    }

    /** Whether writes are synced before they return: the durability every acknowledgement relies on. */
    boolean synced() {
        return writeOptions.sync();
    }

    byte[] get(String family, byte[] key) {
        try {
            return db.get(family(family), key);
        } catch (RocksDBException e) {
            throw new StoreException("could not read the store: " + e.getMessage(), e);
        }
    }

    /** Values of many keys of one family in one read, in the keys' order ({@code null} where absent). */
    List<byte[]> getAll(String family, List<byte[]> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        try {
            return db.multiGetAsList(java.util.Collections.nCopies(keys.size(), family(family)), keys);
        } catch (RocksDBException e) {
            throw new StoreException("could not read the store: " + e.getMessage(), e);
        }
    }

    /** One durable write (synced when the settings say so), for the small writes outside group commit. */
    void put(String family, byte[] key, byte[] value) {
        try {
            db.put(family(family), writeOptions, key, value);
        } catch (RocksDBException e) {
            throw new StoreException("could not write to the store: " + e.getMessage(), e);
        }
    }

    void write(WriteBatch batch) throws RocksDBException {
        db.write(writeOptions, batch);
    }

    RocksIterator iterator(String family) {
        return db.newIterator(family(family));
    }

    /**
     * Why a write must be refused for lack of room, if it must: the disk budget's SST files are at their
     * limit (RocksDB enforces the same limit on flushes and compactions, after which it takes no write).
     */
    java.util.Optional<String> spaceRefusal() {
        if (files != null && files.isMaxAllowedSpaceReached()) {
            return java.util.Optional.of("the store's disk budget (" + maxDiskBytes + " bytes of SST files) is used up ("
                    + files.getTotalSize() + " bytes): raise store.max.disk.bytes or free space; appends resume by themselves");
        }
        return java.util.Optional.empty();
    }

    /** Whether a write failed for lack of room: the budget RocksDB enforces, or a volume with no space left. */
    static boolean isOutOfSpace(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RocksDBException r) {
                org.rocksdb.Status status = r.getStatus();
                if (status != null && status.getSubCode() == org.rocksdb.Status.SubCode.NoSpace) {
                    return true;
                }
                String message = r.getMessage() == null ? "" : r.getMessage();
                if (message.contains("Max allowed space was reached") || message.contains("No space left on device")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Changes the disk budget of a store opened with one (the SST files' limit RocksDB enforces too). */
    void setMaxDiskBytes(long bytes) {
        if (files == null) {
            throw new IllegalStateException("this store was opened without a disk budget (store.max.disk.bytes 0)");
        }
        files.setMaxAllowedSpaceUsage(bytes);
        maxDiskBytes = bytes;
    }

    boolean hasDiskBudget() {
        return files != null;
    }

    long diskBytes() {
        return files == null ? -1 : files.getTotalSize();
    }

    /** The bytes of a family's SST files (what is flushed; the memtables are not counted). */
    long sstBytes(String family) {
        try {
            return db.getLongProperty(family(family), "rocksdb.total-sst-files-size");
        } catch (RocksDBException e) {
            throw new StoreException("could not read the size of " + family + ": " + e.getMessage(), e);
        }
    }

    void compact() {
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            for (ColumnFamilyHandle h : families.values()) {
                db.flush(flush, h);
                db.compactRange(h);
            }
        } catch (RocksDBException e) {
            throw new StoreException("compaction failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        writeOptions.close();
        families.values().forEach(ColumnFamilyHandle::close);
        defaultFamily.close();
        db.close();
        closeOptions();
    }

    private void closeOptions() {
        dbOptions.close();
        familyOptions.forEach(ColumnFamilyOptions::close);
        filters.forEach(BloomFilter::close);
        if (files != null) {
            files.close();
        }
    }
}
