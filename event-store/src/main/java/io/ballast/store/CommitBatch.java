package io.ballast.store;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.ToLongFunction;

import io.ballast.audit.MerkleHash;
import io.ballast.audit.MerkleLog;
import io.ballast.audit.MerkleNodes;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Everything one group commit changes, staged before it is written: the records, every index, the Merkle
 * nodes and the consumed Kafka offsets, in one {@link WriteBatch}. The store's caches learn of it only once
 * the write succeeded ({@link #versions()}, {@link #publishFrontier()}, {@link #next()}).
 */
final class CommitBatch implements MerkleNodes {
    private final StoreFiles files;
    private final Frontier frontier;
    private final ToLongFunction<String> storedVersion;
    private final Map<String, Long> versions = new HashMap<>();
    private final Map<UUID, Long> ids = new HashMap<>();
    /** Ids known not to be in the store before this batch (see {@link #prefetch}). */
    private final Set<UUID> absent = new HashSet<>();
    private final Map<UUID, StoredEvent> written = new HashMap<>();
    private final LogMerkleNodes merkleNodes;
    /**
     * The last two nodes this batch made on each level: an append reads no others (it puts a node, then combines it
     * with its left sibling, the one before on that level), and the frontier learns only the last.
     */
    private final long[] lastIndex = new long[Long.SIZE];
    private final byte[][] lastHash = new byte[Long.SIZE][];
    private final long[] previousIndex = new long[Long.SIZE];
    private final byte[][] previousHash = new byte[Long.SIZE][];
    private final MerkleLog merkle;
    /**
     * Each family's entries, staged in the order they were made and put into the batch in key order at the end:
     * RocksDB inserts a batch into its memtables in the batch's order, each insert searching from where the one before
     * it went, so keys that come in no order (event ids, stream versions, Merkle levels) cost a search from the top of
     * the skip list each, and sorted ones a short step (the archive bench: ~100k -> ~125k events/s). The sort is
     * stable: a key staged twice keeps its last value.
     */
    private final Map<String, List<byte[][]>> staged = new LinkedHashMap<>();
    private int stagedBytes;
    private long next;

    CommitBatch(StoreFiles files, LogMerkleNodes merkleNodes, Frontier frontier, ToLongFunction<String> storedVersion, long size) {
        this.files = files;
        this.merkleNodes = merkleNodes;
        this.frontier = frontier;
        Arrays.fill(lastIndex, -1);
        Arrays.fill(previousIndex, -1);
        this.storedVersion = storedVersion;
        this.next = size;
        this.merkle = new MerkleLog(this, size);
    }

    AppendResult apply(Committer.Append a, Instant now) {
        long current = version(a.stream());
        Long firstKnown = position(a.events().get(0).eventId());
        if (firstKnown != null) {
            return duplicate(a, firstKnown);
        }
        for (NewEvent e : a.events()) {
            Long known = position(e.eventId());
            if (known != null) {
                throw new InvalidAppendException("event " + e.eventId() + " is already in the store at position " + known
                        + ": an event id is appended once");
            }
        }
        if (!a.expected().accepts(current)) {
            throw new WrongExpectedVersionException(a.stream(), a.expected(), current);
        }
        long first = next;
        long version = current;
        for (NewEvent e : a.events()) {
            write(a.stream(), ++version, e, now);
        }
        return new AppendResult(a.stream(), first, version, a.events().size(), false);
    }

    /** A retry of an append that is already stored whole, at the same place: the same result, nothing written. */
    private AppendResult duplicate(Committer.Append a, long firstPosition) {
        StoredEvent first = stored(a.events().get(0).eventId(), firstPosition);
        boolean samePlace = first.stream().equals(a.stream()) && a.expected().accepts(first.version() - 1);
        for (int i = 1; samePlace && i < a.events().size(); i++) {
            Long p = position(a.events().get(i).eventId());
            samePlace = p != null && p == firstPosition + i && stored(a.events().get(i).eventId(), p).stream().equals(a.stream());
        }
        if (!samePlace) {
            throw new InvalidAppendException("event " + a.events().get(0).eventId() + " is already in stream '" + first.stream()
                    + "' at version " + first.version() + ", not where this append puts it: an event id is appended once");
        }
        return new AppendResult(a.stream(), firstPosition, first.version() + a.events().size() - 1, a.events().size(), true);
    }

    /** Archived records: an id already stored is skipped (its offset still counts). Returns how many were new. */
    int apply(Committer.Archive ar, Instant now) {
        prefetch(ar.records());
        int count = 0;
        for (EventStore.Archived r : ar.records()) {
            if (position(r.event().eventId()) != null) {
                continue;
            }
            write(r.stream(), version(r.stream()) + 1, r.event(), now);
            count++;
        }
        ar.offsets().forEach((tp, offset) -> put("offsets", tp.getBytes(StandardCharsets.UTF_8), Keys.position(offset)));
        return count;
    }

    private void write(String stream, long version, NewEvent e, Instant now) {
        StoredEvent stored = new StoredEvent(next, stream, version, e.eventId(), e.type(), e.occurredAt(), now, e.data(),
                e.headers(), e.origin());
        byte[] body = RecordCodec.body(stored);
        put("log", Keys.position(next), RecordCodec.record(body));
        put("streams", Keys.named(stream, version), Keys.position(next));
        put("types", Keys.named(e.type(), next), new byte[0]);
        put("times", Keys.time(e.occurredAt().toEpochMilli(), next), new byte[0]);
        put("event_ids", Keys.uuid(e.eventId()), Keys.position(next));
        merkle.append(MerkleHash.leaf(body));
        versions.put(stream, version);
        ids.put(e.eventId(), next);
        absent.remove(e.eventId());
        written.put(e.eventId(), stored);
        next++;
    }

    /** Writes the staged batch (synced), with the streams' new versions. */
    void write() throws RocksDBException {
        for (Map.Entry<String, Long> v : versions.entrySet()) {
            put("stream_meta", v.getKey().getBytes(StandardCharsets.UTF_8), Keys.position(v.getValue()));
        }
        EncodedWriteBatch encoded = new EncodedWriteBatch(stagedBytes);
        for (Map.Entry<String, List<byte[][]>> family : staged.entrySet()) {
            List<byte[][]> entries = family.getValue();
            entries.sort((a, b) -> Arrays.compareUnsigned(a[0], b[0]));
            int id = files.family(family.getKey()).getID();
            for (byte[][] entry : entries) {
                encoded.put(id, entry[0], entry[1]);
            }
        }
        try (WriteBatch batch = encoded.toWriteBatch()) {
            files.write(batch);
        }
    }

    Map<String, Long> versions() {
        return versions;
    }

    long next() {
        return next;
    }

    void publishFrontier() {
        for (int level = 0; level < lastIndex.length && lastIndex[level] >= 0; level++) {
            frontier.put(level, lastIndex[level], lastHash[level]);
        }
    }

    private long version(String stream) {
        Long v = versions.get(stream);
        return v != null ? v : storedVersion.applyAsLong(stream);
    }

    private StoredEvent stored(UUID id, long position) {
        StoredEvent e = written.get(id);
        return e != null ? e : RecordCodec.decode(position, files.get("log", Keys.position(position)));
    }

    private Long position(UUID id) {
        Long p = ids.get(id);
        if (p != null || absent.contains(id)) {
            return p;
        }
        byte[] stored = files.get("event_ids", Keys.uuid(id));
        return stored == null ? null : Keys.readLong(stored, 0);
    }

    /**
     * Looks up an archive's event ids in the store in one read ({@code multiGet}) instead of one read each:
     * the stored ones go to {@link #ids}, the others to {@link #absent} (nothing else writes the store meanwhile).
     */
    private void prefetch(List<EventStore.Archived> records) {
        List<UUID> unknown = new ArrayList<>(records.size());
        for (EventStore.Archived r : records) {
            UUID id = r.event().eventId();
            if (!ids.containsKey(id) && !absent.contains(id)) {
                unknown.add(id);
            }
        }
        List<byte[]> keys = new ArrayList<>(unknown.size());
        unknown.forEach(id -> keys.add(Keys.uuid(id)));
        List<byte[]> stored = files.getAll("event_ids", keys);
        for (int i = 0; i < unknown.size(); i++) {
            if (stored.get(i) == null) {
                absent.add(unknown.get(i));
            } else {
                ids.put(unknown.get(i), Keys.readLong(stored.get(i), 0));
            }
        }
    }

    @Override
    public byte[] get(int level, long index) {
        if (lastIndex[level] == index) {
            return lastHash[level];
        }
        if (previousIndex[level] == index) {
            return previousHash[level];
        }
        return frontier.get(level, index, () -> merkleNodes.get(level, index));
    }

    /** Every node is kept for the appends after it; only the levels the store keeps are written. */
    @Override
    public void put(int level, long index, byte[] hash) {
        previousIndex[level] = lastIndex[level];
        previousHash[level] = lastHash[level];
        lastIndex[level] = index;
        lastHash[level] = hash;
        if (LogMerkleNodes.stored(level)) {
            put("merkle", Keys.merkle(level, index), hash);
        }
    }

    private void put(String family, byte[] key, byte[] value) {
        staged.computeIfAbsent(family, f -> new ArrayList<>()).add(new byte[][] {key, value});
        // tag, family id and two lengths take at most 16 bytes
        stagedBytes += key.length + value.length + 16;
    }
}
