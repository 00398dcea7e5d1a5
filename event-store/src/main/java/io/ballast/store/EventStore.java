package io.ballast.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.ballast.audit.MerkleHash;
import io.ballast.audit.MerkleLog;
import io.ballast.audit.MerkleNodes;
import io.ballast.audit.SigningKey;
import io.ballast.audit.TreeHead;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event store. One RocksDB with a column family per concern; appends (and Kafka archiving) go through
 * one committer thread that group-commits whatever is waiting into one synced write batch, so an append is
 * durable before it is acknowledged and many callers share one fsync. A batch writes the records, every
 * index, the Merkle nodes and the consumed Kafka offsets together: after a crash the store holds each
 * acknowledged append whole and nothing of an unacknowledged one.
 */
public final class EventStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventStore.class);
    static final List<String> FAMILIES = List.of("log", "streams", "stream_meta", "types", "times", "merkle", "offsets", "event_ids",
            "tree_heads");
    private static final byte[] STORE_ID = "store-id".getBytes(StandardCharsets.UTF_8);

    static {
        RocksDB.loadLibrary();
    }

    private final Path dir;
    private final StoreSettings settings;
    private final Clock clock;
    private final RocksDB db;
    private final DBOptions dbOptions;
    private final List<ColumnFamilyOptions> familyOptions = new ArrayList<>();
    private final Map<String, ColumnFamilyHandle> cf = new HashMap<>();
    private final ColumnFamilyHandle defaultFamily;
    private final WriteOptions writeOptions;
    private final LinkedBlockingQueue<Commit> queue = new LinkedBlockingQueue<>();
    private final Thread committer;
    private final List<Runnable> commitListeners = new CopyOnWriteArrayList<>();
    private final Map<String, Long> streamVersions = new HashMap<>();
    private final Frontier frontier = new Frontier();
    private final java.util.concurrent.atomic.AtomicLong commits = new java.util.concurrent.atomic.AtomicLong();
    private volatile long size;
    private volatile boolean closing;

    private EventStore(Path dir, StoreSettings settings, Clock clock) throws RocksDBException {
        this.dir = dir;
        this.settings = settings;
        this.clock = clock;
        this.dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, options(false)));
        for (String name : FAMILIES) {
            descriptors.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), options(name.equals("log"))));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        this.db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
        this.defaultFamily = handles.get(0);
        for (int i = 0; i < FAMILIES.size(); i++) {
            cf.put(FAMILIES.get(i), handles.get(i + 1));
        }
        this.writeOptions = new WriteOptions().setSync(settings.sync());
        this.size = lastPosition() + 1;
        this.committer = new Thread(this::commitLoop, "ballast-store-committer");
        this.committer.start();
    }

    /**
     * Compression by level: recent data (the upper levels, rewritten often) fast or none, the bottom, where
     * almost all of the history lives, ZSTD.
     */
    private ColumnFamilyOptions options(boolean log) {
        ColumnFamilyOptions o = new ColumnFamilyOptions().setNumLevels(7)
                .setCompressionPerLevel(List.of(CompressionType.NO_COMPRESSION, CompressionType.NO_COMPRESSION,
                        CompressionType.LZ4_COMPRESSION, CompressionType.LZ4_COMPRESSION, CompressionType.LZ4_COMPRESSION,
                        CompressionType.ZSTD_COMPRESSION, CompressionType.ZSTD_COMPRESSION))
                .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION);
        if (log) {
            o.setLevelCompactionDynamicLevelBytes(true);
        }
        familyOptions.add(o);
        return o;
    }

    /** Opens (or creates) the store in {@code dir}. */
    public static EventStore open(Path dir, StoreSettings settings) {
        return open(dir, settings, Clock.systemUTC());
    }

    public static EventStore open(Path dir, StoreSettings settings, Clock clock) {
        try {
            Files.createDirectories(dir);
            return new EventStore(dir, settings, clock);
        } catch (java.io.IOException | RocksDBException e) {
            throw new StoreException("could not open the event store in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Synced writes so far: with group commit, fewer than the appends they acknowledged. */
    public long commits() {
        return commits.get();
    }

    public Path dir() {
        return dir;
    }

    /** Events in the global log (the next position). */
    public long size() {
        return size;
    }

    // ---------------------------------------------------------------- appends

    /** Appends events to a stream; completes once they are durable, or with the reason they were refused. */
    public CompletableFuture<AppendResult> appendAsync(String stream, ExpectedVersion expected, List<NewEvent> events) {
        validate(stream, events);
        Append append = new Append(stream, expected, List.copyOf(events), new CompletableFuture<>());
        enqueue(append);
        return append.done;
    }

    /** {@link #appendAsync}, waiting: throws {@link WrongExpectedVersionException} or {@link InvalidAppendException}. */
    public AppendResult append(String stream, ExpectedVersion expected, List<NewEvent> events) {
        return join(appendAsync(stream, expected, events));
    }

    /**
     * Archives records read from Kafka, with the offsets to resume from, in one durable batch. An event whose
     * id the store already holds is skipped (the outbox's own events read back, or a replay), but its offset
     * still counts. Returns how many were new.
     */
    public int archive(List<Archived> records, Map<String, Long> nextOffsets) {
        if (records.isEmpty() && nextOffsets.isEmpty()) {
            return 0;
        }
        for (Archived a : records) {
            validate(a.stream(), List.of(a.event()));
        }
        Archive archive = new Archive(List.copyOf(records), Map.copyOf(nextOffsets), new CompletableFuture<>());
        enqueue(archive);
        return join(archive.done);
    }

    /** An event read from Kafka, for {@link #archive}: the stream it joins and the event. */
    public record Archived(String stream, NewEvent event) {
    }

    private void validate(String stream, List<NewEvent> events) {
        if (stream == null || stream.isBlank()) {
            throw new InvalidAppendException("the stream name is empty: name the stream to append to");
        }
        if (stream.chars().anyMatch(c -> c < 0x20)) {
            throw new InvalidAppendException("the stream name '" + stream.replaceAll("\\p{Cntrl}", "?") + "' has a control character");
        }
        if (stream.length() > StoreSettings.MAX_NAME_CHARS) {
            throw new InvalidAppendException("the stream name has " + stream.length() + " characters, over " + StoreSettings.MAX_NAME_CHARS);
        }
        if (events.isEmpty()) {
            throw new InvalidAppendException("no events to append to '" + stream + "'");
        }
        for (NewEvent e : events) {
            if (e.eventId() == null || e.type() == null || e.type().isBlank() || e.occurredAt() == null || e.data() == null) {
                throw new InvalidAppendException("an event of '" + stream + "' lacks its id, type, time or data");
            }
            long bytes = e.data().length + e.headers().entrySet().stream().mapToLong(h -> h.getKey().length() + h.getValue().length).sum();
            if (bytes > settings.maxEventBytes()) {
                throw new InvalidAppendException("event " + e.eventId() + " of '" + stream + "' is " + bytes + " bytes, over the limit of "
                        + settings.maxEventBytes());
            }
        }
    }

    private void enqueue(Commit commit) {
        if (closing) {
            throw new StoreException("the event store is closed", null);
        }
        queue.add(commit);
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

    /** A unit of the committer's work. */
    private sealed interface Commit permits Append, Archive {
        void fail(RuntimeException e);
    }

    private record Append(String stream, ExpectedVersion expected, List<NewEvent> events, CompletableFuture<AppendResult> done)
            implements Commit {
        @Override
        public void fail(RuntimeException e) {
            done.completeExceptionally(e);
        }
    }

    private record Archive(List<Archived> records, Map<String, Long> offsets, CompletableFuture<Integer> done) implements Commit {
        @Override
        public void fail(RuntimeException e) {
            done.completeExceptionally(e);
        }
    }

    private void commitLoop() {
        List<Commit> batch = new ArrayList<>();
        while (!closing || !queue.isEmpty()) {
            try {
                Commit first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.clear();
                batch.add(first);
                queue.drainTo(batch, settings.maxBatch() - 1);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Everything a batch changes before it is written: applied to the caches only once the write succeeded. */
    private final class Pending implements MerkleNodes {
        final WriteBatch batch = new WriteBatch();
        final Map<String, Long> versions = new HashMap<>();
        final Map<UUID, Long> ids = new HashMap<>();
        final Map<UUID, StoredEvent> written = new HashMap<>();
        final Map<String, byte[]> nodes = new HashMap<>();
        long next = size;
        final MerkleLog merkle = new MerkleLog(this, size);

        long version(String stream) {
            Long v = versions.get(stream);
            return v != null ? v : streamVersion(stream);
        }

        StoredEvent stored(UUID id, long position) {
            StoredEvent e = written.get(id);
            return e != null ? e : read(position);
        }

        Long position(UUID id) {
            Long p = ids.get(id);
            return p != null ? p : positionOf(id).orElse(null);
        }

        @Override
        public byte[] get(int level, long index) {
            byte[] hash = nodes.get(level + "/" + index);
            return hash != null ? hash : frontier.get(level, index, () -> node(level, index));
        }

        @Override
        public void put(int level, long index, byte[] hash) {
            nodes.put(level + "/" + index, hash);
            put("merkle", Keys.merkle(level, index), hash);
        }

        void put(String family, byte[] key, byte[] value) {
            try {
                batch.put(cf.get(family), key, value);
            } catch (RocksDBException e) {
                throw new StoreException("could not stage a write: " + e.getMessage(), e);
            }
        }

        StoredEvent write(String stream, long version, NewEvent e, Instant now) {
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
            written.put(e.eventId(), stored);
            next++;
            return stored;
        }
    }

    private void commit(List<Commit> batch) {
        Pending pending = new Pending();
        List<Runnable> completions = new ArrayList<>();
        Instant now = clock.instant();
        try {
            for (Commit c : batch) {
                try {
                    if (c instanceof Append a) {
                        AppendResult result = apply(a, pending, now);
                        completions.add(() -> a.done.complete(result));
                    } else {
                        Archive ar = (Archive) c;
                        int written = apply(ar, pending, now);
                        completions.add(() -> ar.done.complete(written));
                    }
                } catch (WrongExpectedVersionException | InvalidAppendException e) {
                    completions.add(() -> c.fail(e));
                }
            }
            for (Map.Entry<String, Long> v : pending.versions.entrySet()) {
                pending.put("stream_meta", v.getKey().getBytes(StandardCharsets.UTF_8), Keys.position(v.getValue()));
            }
            db.write(writeOptions, pending.batch);
        } catch (RocksDBException | RuntimeException e) {
            StoreException failure = new StoreException("the write failed, nothing of it was stored: " + e.getMessage(), e);
            LOG.error("group commit of {} requests failed", batch.size(), e);
            batch.forEach(c -> c.fail(failure));
            pending.batch.close();
            return;
        }
        pending.batch.close();
        commits.incrementAndGet();
        streamVersions.putAll(pending.versions);
        pending.nodes.forEach((key, hash) -> {
            int slash = key.indexOf('/');
            frontier.put(Integer.parseInt(key.substring(0, slash)), Long.parseLong(key.substring(slash + 1)), hash);
        });
        size = pending.next;
        completions.forEach(Runnable::run);
        commitListeners.forEach(Runnable::run);
    }

    private AppendResult apply(Append a, Pending pending, Instant now) {
        long current = pending.version(a.stream);
        Long firstKnown = pending.position(a.events.get(0).eventId());
        if (firstKnown != null) {
            return duplicate(a, pending, firstKnown);
        }
        for (NewEvent e : a.events) {
            Long known = pending.position(e.eventId());
            if (known != null) {
                throw new InvalidAppendException("event " + e.eventId() + " is already in the store at position " + known
                        + ": an event id is appended once");
            }
        }
        if (!a.expected.accepts(current)) {
            throw new WrongExpectedVersionException(a.stream, a.expected, current);
        }
        long first = pending.next;
        long version = current;
        for (NewEvent e : a.events) {
            pending.write(a.stream, ++version, e, now);
        }
        return new AppendResult(a.stream, first, version, a.events.size(), false);
    }

    /** A retry of an append that is already stored whole, at the same place: the same result, nothing written. */
    private AppendResult duplicate(Append a, Pending pending, long firstPosition) {
        StoredEvent first = pending.stored(a.events.get(0).eventId(), firstPosition);
        boolean samePlace = first.stream().equals(a.stream) && a.expected.accepts(first.version() - 1);
        for (int i = 1; samePlace && i < a.events.size(); i++) {
            Long p = pending.position(a.events.get(i).eventId());
            samePlace = p != null && p == firstPosition + i && pending.stored(a.events.get(i).eventId(), p).stream().equals(a.stream);
        }
        if (!samePlace) {
            throw new InvalidAppendException("event " + a.events.get(0).eventId() + " is already in stream '" + first.stream()
                    + "' at version " + first.version() + ", not where this append puts it: an event id is appended once");
        }
        return new AppendResult(a.stream, firstPosition, first.version() + a.events.size() - 1, a.events.size(), true);
    }

    private int apply(Archive ar, Pending pending, Instant now) {
        int written = 0;
        for (Archived r : ar.records) {
            if (pending.position(r.event().eventId()) != null) {
                continue;
            }
            pending.write(r.stream(), pending.version(r.stream()) + 1, r.event(), now);
            written++;
        }
        ar.offsets.forEach((tp, offset) -> pending.put("offsets", tp.getBytes(StandardCharsets.UTF_8), Keys.position(offset)));
        return written;
    }

    // ---------------------------------------------------------------- reads

    /** The stream's last version, -1 when it has no events. */
    public long streamVersion(String stream) {
        Long cached = streamVersions.get(stream);
        if (cached != null) {
            return cached;
        }
        byte[] v = get("stream_meta", stream.getBytes(StandardCharsets.UTF_8));
        return v == null ? -1 : Keys.readLong(v, 0);
    }

    public Optional<Long> positionOf(UUID eventId) {
        byte[] p = get("event_ids", Keys.uuid(eventId));
        return p == null ? Optional.empty() : Optional.of(Keys.readLong(p, 0));
    }

    /** The event at a position; {@link CorruptRecordException} if its checksum fails. */
    public StoredEvent read(long position) {
        byte[] value = get("log", Keys.position(position));
        if (value == null) {
            throw new IllegalArgumentException("no event at position " + position + " (the log holds " + size + ")");
        }
        return RecordCodec.decode(position, value);
    }

    /** Up to {@code max} events of the global log from {@code from} on. */
    public List<StoredEvent> readAll(long from, int max) {
        List<StoredEvent> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator(cf.get("log"))) {
            for (it.seek(Keys.position(Math.max(0, from))); it.isValid() && out.size() < max; it.next()) {
                long position = Keys.readLong(it.key(), 0);
                if (position >= size) {
                    break;
                }
                out.add(RecordCodec.decode(position, it.value()));
            }
        }
        return out;
    }

    /** Sets a stream's retention for reads (see {@link StreamMetadata}); durable on return. */
    public void setMetadata(String stream, StreamMetadata metadata) {
        byte[] value = java.nio.ByteBuffer.allocate(16).putLong(metadata.maxAge() == null ? 0 : metadata.maxAge().toMillis())
                .putLong(metadata.maxCount()).array();
        try {
            db.put(cf.get("stream_meta"), writeOptions, metadataKey(stream), value);
        } catch (RocksDBException e) {
            throw new StoreException("could not keep the metadata of " + stream + ": " + e.getMessage(), e);
        }
    }

    public StreamMetadata metadata(String stream) {
        byte[] v = get("stream_meta", metadataKey(stream));
        if (v == null) {
            return StreamMetadata.NONE;
        }
        long age = Keys.readLong(v, 0);
        return new StreamMetadata(age == 0 ? null : java.time.Duration.ofMillis(age), Keys.readLong(v, 8));
    }

    /** Metadata keys start with 0x01, which no stream name does (names have no control characters). */
    private static byte[] metadataKey(String stream) {
        byte[] name = stream.getBytes(StandardCharsets.UTF_8);
        byte[] key = new byte[name.length + 1];
        key[0] = 1;
        System.arraycopy(name, 0, key, 1, name.length);
        return key;
    }

    /** Up to {@code max} events of a stream from version {@code from}, forward, or backward (from -1: its end), within its retention. */
    public List<StoredEvent> readStream(String stream, long from, boolean forward, int max) {
        StreamMetadata meta = metadata(stream);
        long minVersion = meta.maxCount() > 0 ? streamVersion(stream) - meta.maxCount() + 1 : 0;
        long minRecorded = meta.maxAge() == null ? Long.MIN_VALUE : clock.millis() - meta.maxAge().toMillis();
        List<StoredEvent> out = new ArrayList<>();
        for (StoredEvent e : readStreamAll(stream, forward ? Math.max(from, minVersion) : from, forward, max, minVersion)) {
            if (e.recordedAt().toEpochMilli() >= minRecorded) {
                out.add(e);
            }
        }
        return out;
    }

    private List<StoredEvent> readStreamAll(String stream, long from, boolean forward, int max, long minVersion) {
        List<StoredEvent> out = new ArrayList<>();
        byte[] prefix = Keys.namePrefix(stream);
        try (RocksIterator it = db.newIterator(cf.get("streams"))) {
            if (forward) {
                it.seek(Keys.named(stream, Math.max(0, from)));
            } else {
                it.seekForPrev(Keys.named(stream, from < 0 ? Long.MAX_VALUE : from));
            }
            while (it.isValid() && out.size() < max && Keys.startsWith(it.key(), prefix) && it.key().length == prefix.length + 8
                    && Keys.numberAfterName(it.key()) >= minVersion) {
                out.add(read(Keys.readLong(it.value(), 0)));
                if (forward) {
                    it.next();
                } else {
                    it.prev();
                }
            }
        }
        return out;
    }

    /** Up to {@code max} events of a type from position {@code from} on. */
    public List<StoredEvent> readType(String type, long from, int max) {
        List<StoredEvent> out = new ArrayList<>();
        byte[] prefix = Keys.namePrefix(type);
        try (RocksIterator it = db.newIterator(cf.get("types"))) {
            for (it.seek(Keys.named(type, Math.max(0, from))); it.isValid() && out.size() < max
                    && Keys.startsWith(it.key(), prefix) && it.key().length == prefix.length + 8; it.next()) {
                out.add(read(Keys.numberAfterName(it.key())));
            }
        }
        return out;
    }

    /** Up to {@code max} events whose event time is in [from, to), in event-time order (then position). */
    public List<StoredEvent> readTime(Instant from, Instant to, int max) {
        return readTime(from, 0, to, max);
    }

    /** As {@link #readTime(Instant, Instant, int)}, starting at {@code fromPosition} among the events of instant {@code from}: for paging. */
    public List<StoredEvent> readTime(Instant from, long fromPosition, Instant to, int max) {
        List<StoredEvent> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator(cf.get("times"))) {
            for (it.seek(Keys.time(from.toEpochMilli(), fromPosition)); it.isValid() && out.size() < max; it.next()) {
                if (Keys.timeOf(it.key()) >= to.toEpochMilli()) {
                    break;
                }
                out.add(read(Keys.readLong(it.key(), 8)));
            }
        }
        return out;
    }

    /** The next offset to read of each archived topic-partition ({@code topic:partition}). */
    public Map<String, Long> offsets() {
        Map<String, Long> out = new TreeMap<>();
        try (RocksIterator it = db.newIterator(cf.get("offsets"))) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                out.put(new String(it.key(), StandardCharsets.UTF_8), Keys.readLong(it.value(), 0));
            }
        }
        return out;
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
        }, size);
    }

    /** The Merkle leaf of a position: the hash of its record's body (checked against its checksum). */
    public byte[] leafHash(long position) {
        byte[] value = get("log", Keys.position(position));
        if (value == null) {
            throw new IllegalArgumentException("no event at position " + position);
        }
        return MerkleHash.leaf(RecordCodec.checkedBody(position, value));
    }

    byte[] node(int level, long index) {
        return get("merkle", Keys.merkle(level, index));
    }

    /** This store's id, made once when it is created; tree heads name it. */
    public String storeId() {
        try {
            byte[] id = db.get(defaultFamily, STORE_ID);
            if (id == null) {
                id = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
                db.put(defaultFamily, new WriteOptions().setSync(true), STORE_ID, id);
            }
            return new String(id, StandardCharsets.UTF_8);
        } catch (RocksDBException e) {
            throw new StoreException("could not read the store id: " + e.getMessage(), e);
        }
    }

    /** A named position kept by the store (the outbox's progress), 0 if never set. */
    public long marker(String name) {
        byte[] v = get(defaultFamily, ("marker/" + name).getBytes(StandardCharsets.UTF_8));
        return v == null ? 0 : Keys.readLong(v, 0);
    }

    public void setMarker(String name, long value) {
        try {
            db.put(defaultFamily, writeOptions, ("marker/" + name).getBytes(StandardCharsets.UTF_8), Keys.position(value));
        } catch (RocksDBException e) {
            throw new StoreException("could not keep marker " + name + ": " + e.getMessage(), e);
        }
    }

    /** Signs the current tree head (the root over every event so far) and keeps it. */
    public synchronized TreeHead signTreeHead(SigningKey key) {
        long n = size;
        TreeHead head = TreeHead.sign(key, storeId(), n, merkle().root(n), clock.instant());
        try {
            db.put(cf.get("tree_heads"), writeOptions, Keys.position(n), TreeHeads.encode(head));
        } catch (RocksDBException e) {
            throw new StoreException("could not keep the tree head: " + e.getMessage(), e);
        }
        return head;
    }

    /** Every signed tree head kept, oldest first (one per size). */
    public List<TreeHead> treeHeads() {
        List<TreeHead> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator(cf.get("tree_heads"))) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                out.add(TreeHeads.decode(it.value()));
            }
        }
        return out;
    }

    public Optional<TreeHead> latestTreeHead() {
        try (RocksIterator it = db.newIterator(cf.get("tree_heads"))) {
            it.seekToLast();
            return it.isValid() ? Optional.of(TreeHeads.decode(it.value())) : Optional.empty();
        }
    }

    /**
     * Delivers every event from position {@code from} on, in order, through history and then live, on a
     * thread of its own, until closed.
     */
    public Subscription subscribe(long from, java.util.function.Consumer<StoredEvent> handler) {
        return new Subscription(this, from, handler);
    }

    /** Runs after every successful group commit (on the committer thread: keep it short). */
    public void onCommit(Runnable listener) {
        commitListeners.add(listener);
    }

    public void removeCommitListener(Runnable listener) {
        commitListeners.remove(listener);
    }

    // ---------------------------------------------------------------- plumbing

    byte[] get(String family, byte[] key) {
        return get(cf.get(family), key);
    }

    private byte[] get(ColumnFamilyHandle family, byte[] key) {
        try {
            return db.get(family, key);
        } catch (RocksDBException e) {
            throw new StoreException("could not read the store: " + e.getMessage(), e);
        }
    }

    RocksDB db() {
        return db;
    }

    ColumnFamilyHandle family(String name) {
        return cf.get(name);
    }

    private long lastPosition() {
        try (RocksIterator it = db.newIterator(cf.get("log"))) {
            it.seekToLast();
            return it.isValid() ? Keys.readLong(it.key(), 0) : -1;
        }
    }

    /** Flushes memtables and compacts, so the bytes on disk are the settled ones (for measuring). */
    public void compact() {
        try {
            for (ColumnFamilyHandle h : cf.values()) {
                db.flush(new org.rocksdb.FlushOptions().setWaitForFlush(true), h);
                db.compactRange(h);
            }
        } catch (RocksDBException e) {
            throw new StoreException("compaction failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closing = true;
        try {
            committer.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Commit left;
        while ((left = queue.poll()) != null) {
            left.fail(new StoreException("the event store closed before this was written", null));
        }
        writeOptions.close();
        cf.values().forEach(ColumnFamilyHandle::close);
        defaultFamily.close();
        db.close();
        dbOptions.close();
        familyOptions.forEach(ColumnFamilyOptions::close);
    }

    /** The right edge of the Merkle tree: the last node of each level, all an append needs to read. */
    private static final class Frontier {
        private final Map<Integer, long[]> index = new HashMap<>();
        private final Map<Integer, byte[]> hash = new HashMap<>();

        synchronized byte[] get(int level, long i, java.util.function.Supplier<byte[]> load) {
            long[] at = index.get(level);
            return at != null && at[0] == i ? hash.get(level) : load.get();
        }

        synchronized void put(int level, long i, byte[] h) {
            long[] at = index.get(level);
            if (at == null || at[0] < i) {
                index.put(level, new long[] {i});
                hash.put(level, h);
            }
        }
    }
}
