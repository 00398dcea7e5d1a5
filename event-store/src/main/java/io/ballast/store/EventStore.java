package io.ballast.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

import io.ballast.audit.MerkleHash;
import io.ballast.audit.MerkleLog;
import io.ballast.audit.MerkleNodes;
import io.ballast.audit.SigningKey;
import io.ballast.audit.TreeHead;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event store. One RocksDB with a column family per concern ({@link StoreFiles}); appends (and Kafka
 * archiving) go through one committer thread ({@link Committer}) that group-commits whatever is waiting
 * into one synced write batch, so an append is durable before it is acknowledged and many callers share
 * one fsync. A batch writes the records, every index, the Merkle nodes and the consumed Kafka offsets
 * together: after a crash the store holds each acknowledged append whole and nothing of an unacknowledged
 * one. Appends get back-pressure: when {@code maxQueued} requests wait, the next is refused.
 */
public final class EventStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventStore.class);
    static final List<String> FAMILIES = StoreFiles.FAMILIES;
    private static final byte[] STORE_ID = "store-id".getBytes(StandardCharsets.UTF_8);

    private final Path dir;
    private final StoreSettings settings;
    private final Clock clock;
    private final StoreFiles files;
    private final Committer committer;
    private final StoreReads reads;
    private final LogMerkleNodes merkleNodes;
    private boolean closed;

    private EventStore(Path dir, StoreSettings settings, Clock clock, StoreFiles files) {
        this.dir = dir;
        this.settings = settings;
        this.clock = clock;
        this.files = files;
        this.merkleNodes = new LogMerkleNodes(files);
        LogMerkleNodes.dropUnstoredLevels(files);
        StoreReads bootstrap = new StoreReads(files, () -> Long.MAX_VALUE, s -> -1, clock);
        this.committer = new Committer(files, merkleNodes, settings, clock, bootstrap.lastPosition() + 1);
        this.reads = new StoreReads(files, committer::size, committer::streamVersion, clock);
    }

    /** Opens (or creates) the store in {@code dir}. */
    public static EventStore open(Path dir, StoreSettings settings) {
        return open(dir, settings, Clock.systemUTC());
    }

    public static EventStore open(Path dir, StoreSettings settings, Clock clock) {
        try {
            Files.createDirectories(dir);
            return new EventStore(dir, settings, clock, new StoreFiles(dir, settings));
        } catch (java.io.IOException | RocksDBException e) {
            throw new StoreException("could not open the event store in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Synced writes so far: with group commit, fewer than the appends they acknowledged. */
    public long commits() {
        return committer.commits();
    }

    /** What the committer is doing: requests waiting, writes done and failed, whether writes are synced. */
    public CommitterStatus committerStatus() {
        return new CommitterStatus(committer.waiting(), settings.maxQueued(), committer.commits(), committer.failedCommits(),
                files.synced(), !committer.stopped());
    }

    /** @param synced whether every write is fsynced before it is acknowledged */
    public record CommitterStatus(int waiting, int maxWaiting, long commits, long failedCommits, boolean synced, boolean running) {
    }

    public Path dir() {
        return dir;
    }

    public StoreSettings settings() {
        return settings;
    }

    /** Events in the global log (the next position). */
    public long size() {
        return committer.size();
    }

    // ---------------------------------------------------------------- appends

    /**
     * Appends events to a stream; completes once they are durable, or with the reason they were refused.
     * Throws {@link StoreOverloadedException} at once when the committer's queue is full.
     */
    public CompletableFuture<AppendResult> appendAsync(String stream, ExpectedVersion expected, List<NewEvent> events) {
        AppendRules.check(stream, events, settings.maxEventBytes());
        Committer.Append append = new Committer.Append(stream, expected, List.copyOf(events), new CompletableFuture<>());
        committer.submit(append);
        return append.done();
    }

    /** {@link #appendAsync}, waiting: throws {@link WrongExpectedVersionException} or {@link InvalidAppendException}. */
    public AppendResult append(String stream, ExpectedVersion expected, List<NewEvent> events) {
        return join(appendAsync(stream, expected, events));
    }

    /**
     * Archives records read from Kafka, with the offsets to resume from, in one durable batch. An event whose
     * id the store already holds is skipped (the outbox's own events read back, or a replay), but its offset
     * still counts. Returns how many were new. Waits (up to a minute) while the committer's queue is full.
     */
    public int archive(List<Archived> records, Map<String, Long> nextOffsets) {
        return join(archiveAsync(records, nextOffsets));
    }

    /**
     * {@link #archive}, not waiting for the write: completes with how many were new once durable, or with the
     * failure. Archives are written in the order they are submitted; a caller that must not have a later batch
     * written after an earlier one failed (its offsets would skip the earlier records) waits for each before
     * submitting the next, as ingest does. Waits (up to a minute) while the committer's queue is full.
     */
    public CompletableFuture<Integer> archiveAsync(List<Archived> records, Map<String, Long> nextOffsets) {
        if (records.isEmpty() && nextOffsets.isEmpty()) {
            return CompletableFuture.completedFuture(0);
        }
        for (Archived a : records) {
            AppendRules.check(a.stream(), List.of(a.event()), settings.maxArchivedBytes());
        }
        Committer.Archive archive = new Committer.Archive(List.copyOf(records), Map.copyOf(nextOffsets), new CompletableFuture<>());
        try {
            committer.submit(archive);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting to archive", e);
        }
        return archive.done();
    }

    /** Waits for an {@link #archiveAsync} (or an {@link #appendAsync}): its result, or its failure as thrown. */
    public static <T> T await(CompletableFuture<T> write) {
        return join(write);
    }

    /** Why {@link #archive} would refuse this record, if it would: ingest keeps such a record in another form. */
    public Optional<String> archiveRefusal(Archived record) {
        return AppendRules.refusal(record.stream(), List.of(record.event()), settings.maxArchivedBytes());
    }

    /** Why this stream name is refused, if it is. */
    public static Optional<String> streamNameRefusal(String stream) {
        return AppendRules.nameRefusal(stream);
    }

    /** An event read from Kafka, for {@link #archive}: the stream it joins and the event. */
    public record Archived(String stream, NewEvent event) {
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    // ---------------------------------------------------------------- reads

    /** The stream's last version, -1 when it has no events. */
    public long streamVersion(String stream) {
        return committer.streamVersion(stream);
    }

    public Optional<Long> positionOf(UUID eventId) {
        byte[] p = files.get("event_ids", Keys.uuid(eventId));
        return p == null ? Optional.empty() : Optional.of(Keys.readLong(p, 0));
    }

    /** The event at a position; {@link CorruptRecordException} if its checksum fails. */
    public StoredEvent read(long position) {
        return reads.read(position);
    }

    /** Up to {@code max} events of the global log from {@code from} on. */
    public List<StoredEvent> readAll(long from, int max) {
        return reads.readAll(from, max);
    }

    /** Sets a stream's retention for reads (see {@link StreamMetadata}); durable on return. */
    public void setMetadata(String stream, StreamMetadata metadata) {
        reads.setMetadata(stream, metadata);
    }

    public StreamMetadata metadata(String stream) {
        return reads.metadata(stream);
    }

    /** Up to {@code max} events of a stream from version {@code from}, forward, or backward (from -1: its end), within its retention. */
    public List<StoredEvent> readStream(String stream, long from, boolean forward, int max) {
        return reads.readStream(stream, from, forward, max);
    }

    /** Up to {@code max} events of a type from position {@code from} on. */
    public List<StoredEvent> readType(String type, long from, int max) {
        return reads.readType(type, from, max);
    }

    /** Up to {@code max} events whose event time is in [from, to), in event-time order (then position). */
    public List<StoredEvent> readTime(Instant from, Instant to, int max) {
        return reads.readTime(from, 0, to, max);
    }

    /** As {@link #readTime(Instant, Instant, int)}, starting at {@code fromPosition} among the events of instant {@code from}: for paging. */
    public List<StoredEvent> readTime(Instant from, long fromPosition, Instant to, int max) {
        return reads.readTime(from, fromPosition, to, max);
    }

    /**
     * Hands every event of event time [from, to) below position {@code below} to {@code each}, in event-time order (then
     * position), in one pass over the log (no page restarts, no point read per event); the count. For a replay of a range.
     */
    public long scanTime(Instant from, Instant to, long below, java.util.function.Consumer<StoredEvent> each) {
        try {
            return reads.scanTime(from, to, below, java.util.Set.of(), (position, value) -> each.accept(RecordCodec.decode(position, value)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Writes every event of event time [from, to) below position {@code below} whose type is in {@code types} (all when
     * empty) to {@code out} as a {@link RecordStream}, in event-time order (then position); the count. For reads too
     * long to page: an audit of a month.
     */
    public long streamTime(Instant from, Instant to, long below, java.util.Set<String> types, RecordStream.Writer out) throws java.io.IOException {
        long count = reads.scanTime(from, to, below, types, out::write);
        out.end(count);
        return count;
    }

    /** The next offset to read of each archived topic-partition ({@code topic:partition}). */
    public Map<String, Long> offsets() {
        return reads.offsets();
    }

    // ---------------------------------------------------------------- audit

    /** The Merkle log over the first {@link #size()} positions (read-only use: roots and proofs). */
    public MerkleLog merkle() {
        return new MerkleLog(new MerkleNodes() {
            @Override
            public byte[] get(int level, long index) {
                return node(level, index);
            }

            @Override
            public void put(int level, long index, byte[] hash) {
                throw new UnsupportedOperationException("the store's Merkle log grows only by appends");
            }
        }, size());
    }

    /** The Merkle leaf of a position: the hash of its record's body (checked against its checksum). */
    public byte[] leafHash(long position) {
        byte[] value = files.get("log", Keys.position(position));
        if (value == null) {
            throw new IllegalArgumentException("no event at position " + position);
        }
        return MerkleHash.leaf(RecordCodec.checkedBody(position, value));
    }

    /** A Merkle node: stored from {@link LogMerkleNodes#STORED_LEVEL} up, recomputed from the log below. */
    byte[] node(int level, long index) {
        return merkleNodes.get(level, index);
    }

    /** This store's id, made once when it is created; tree heads name it. */
    public synchronized String storeId() {
        byte[] id = files.get(StoreFiles.DEFAULT, STORE_ID);
        if (id == null) {
            id = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
            files.put(StoreFiles.DEFAULT, STORE_ID, id);
        }
        return new String(id, StandardCharsets.UTF_8);
    }

    /** A named position kept by the store (the outbox's progress), 0 if never set. */
    public long marker(String name) {
        byte[] v = files.get(StoreFiles.DEFAULT, ("marker/" + name).getBytes(StandardCharsets.UTF_8));
        return v == null ? 0 : Keys.readLong(v, 0);
    }

    public void setMarker(String name, long value) {
        files.put(StoreFiles.DEFAULT, ("marker/" + name).getBytes(StandardCharsets.UTF_8), Keys.position(value));
    }

    /** Signs the current tree head (the root over every event so far) and keeps it. */
    public synchronized TreeHead signTreeHead(SigningKey key) {
        long n = size();
        TreeHead head = TreeHead.sign(key, storeId(), n, merkle().root(n), clock.instant());
        files.put("tree_heads", Keys.position(n), TreeHeads.encode(head));
        return head;
    }

    /** Every signed tree head kept, oldest first (one per size). */
    public List<TreeHead> treeHeads() {
        List<TreeHead> out = new java.util.ArrayList<>();
        try (RocksIterator it = files.iterator("tree_heads")) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                out.add(TreeHeads.decode(it.value()));
            }
        }
        return out;
    }

    public Optional<TreeHead> latestTreeHead() {
        try (RocksIterator it = files.iterator("tree_heads")) {
            it.seekToLast();
            return it.isValid() ? Optional.of(TreeHeads.decode(it.value())) : Optional.empty();
        }
    }

    /**
     * Delivers every event from position {@code from} on, in order, through history and then live, on a
     * thread of its own, until closed.
     */
    public Subscription subscribe(long from, Consumer<StoredEvent> handler) {
        return new Subscription(this, from, handler);
    }

    /** Runs after every successful group commit (on the committer thread: keep it short; what it throws is logged). */
    public void onCommit(Runnable listener) {
        committer.onCommit(listener);
    }

    public void removeCommitListener(Runnable listener) {
        committer.removeCommitListener(listener);
    }

    // ---------------------------------------------------------------- plumbing

    byte[] get(String family, byte[] key) {
        return files.get(family, key);
    }

    org.rocksdb.RocksDB db() {
        return files.db();
    }

    org.rocksdb.ColumnFamilyHandle family(String name) {
        return files.family(name);
    }

    /** Raises (or lowers) the disk budget: appends refused for lack of room resume once the budget has room again. */
    public void setMaxDiskBytes(long bytes) {
        files.setMaxDiskBytes(bytes);
    }

    /** The bytes of the store's SST files, as its disk budget counts them (-1 without a budget). */
    public long diskBytes() {
        return files.diskBytes();
    }

    /** The bytes of each column family's SST files, by family (after {@link #compact()}, everything the store holds). */
    public Map<String, Long> familyBytes() {
        Map<String, Long> bytes = new java.util.LinkedHashMap<>();
        FAMILIES.forEach(f -> bytes.put(f, files.sstBytes(f)));
        return bytes;
    }

    /** Flushes memtables and compacts, so the bytes on disk are the settled ones (for measuring). */
    public void compact() {
        files.compact();
    }

    /**
     * Writes what is queued, stops the committer, then closes RocksDB and every native handle. If the
     * committer does not stop, RocksDB is left open (a leak, logged) rather than closed under a running write.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        committer.close();
        if (!committer.stopped()) {
            LOG.error("the committer of {} did not stop; RocksDB is left open", dir);
            return;
        }
        files.close();
    }
}
