package io.ballast.store;

import java.util.ArrayList;
import java.util.List;

import io.ballast.audit.MerkleHash;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * The store's Merkle nodes. Only subtrees of {@value #BLOCK} leaves and more are stored (levels from {@value #STORED_LEVEL}
 * up); a node below is recomputed from the log's records when it is read. The lower levels are almost two random
 * 32-byte hashes per event, more than half an event's size on disk, while a proof rebuilds them from at most
 * {@value #BLOCK} records. The records are what the leaves hash, so nothing the tree commits to is lost.
 */
final class LogMerkleNodes {
    /** The lowest level whose nodes are stored. */
    static final int STORED_LEVEL = 4;
    /** The leaves under one node of {@link #STORED_LEVEL}: the audit's unit when it checks records against the tree. */
    static final int BLOCK = 1 << STORED_LEVEL;

    private final StoreFiles files;

    LogMerkleNodes(StoreFiles files) {
        this.files = files;
    }

    static boolean stored(int level) {
        return level >= STORED_LEVEL;
    }

    /** The node's hash, or null if the store does not hold it (a stored level never written, or records missing). */
    byte[] get(int level, long index) {
        return stored(level) ? files.get("merkle", Keys.merkle(level, index)) : computed(level, index);
    }

    /** MTH of the {@code 2^level} records from position {@code index × 2^level}, each checked against its checksum. */
    private byte[] computed(int level, long index) {
        long from = index << level;
        int count = 1 << level;
        List<byte[]> leaves = new ArrayList<>(count);
        try (RocksIterator it = files.iterator("log")) {
            it.seek(Keys.position(from));
            for (long p = from; p < from + count; p++, it.next()) {
                if (!it.isValid() || Keys.readLong(it.key(), 0) != p) {
                    it.status();
                    return null;
                }
                leaves.add(MerkleHash.leaf(RecordCodec.checkedBody(p, it.value())));
            }
        } catch (RocksDBException e) {
            throw new StoreException("could not read the log: " + e.getMessage(), e);
        }
        return MerkleHash.root(leaves);
    }

    /**
     * Removes the nodes below {@link #STORED_LEVEL} that stores written before they were recomputed still hold (they
     * are never read again): one range deletion, only when there is one.
     */
    static void dropUnstoredLevels(StoreFiles files) {
        try (RocksIterator it = files.iterator("merkle")) {
            it.seekToFirst();
            if (it.isValid() && !stored(it.key()[0])) {
                files.db().deleteRange(files.family("merkle"), new byte[] {0}, new byte[] {STORED_LEVEL});
            }
            it.status();
        } catch (RocksDBException e) {
            throw new StoreException("could not drop the Merkle nodes the store recomputes: " + e.getMessage(), e);
        }
    }
}
