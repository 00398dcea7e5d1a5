package io.ballast.store;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes the log. Requests wait in a bounded queue; the committer takes whatever is
 * waiting (up to {@code maxBatch}), stages it in one {@link CommitBatch} and writes it in one synced write, so
 * many callers share one fsync. Caches (stream versions, the Merkle frontier, the size) change only after
 * the write succeeded. Neither a failed write nor a throwing listener stops it.
 */
final class Committer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Committer.class);
    private static final long ARCHIVE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final StoreFiles files;
    private final StoreSettings settings;
    private final Clock clock;
    private final ArrayBlockingQueue<Commit> queue;
    private final Thread thread;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    /** Written by the committer, read by every reader: a concurrent map. */
    private final Map<String, Long> streamVersions = new ConcurrentHashMap<>();
    private final Frontier frontier = new Frontier();
    private final LogMerkleNodes merkleNodes;
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong failedCommits = new AtomicLong();
    private volatile long size;
    private volatile boolean closing;

    Committer(StoreFiles files, LogMerkleNodes merkleNodes, StoreSettings settings, Clock clock, long size) {
        this.files = files;
        this.settings = settings;
        this.clock = clock;
        this.size = size;
        this.merkleNodes = merkleNodes;
        this.queue = new ArrayBlockingQueue<>(settings.maxQueued());
        this.thread = new Thread(this::loop, "ballast-store-committer");
        this.thread.start();
    }

    /** A unit of the committer's work. */
    sealed interface Commit permits Append, Archive {
        void fail(RuntimeException e);
    }

    record Append(String stream, ExpectedVersion expected, List<NewEvent> events, CompletableFuture<AppendResult> done) implements Commit {
        @Override
        public void fail(RuntimeException e) {
            done.completeExceptionally(e);
        }
    }

    record Archive(List<EventStore.Archived> records, Map<String, Long> offsets, CompletableFuture<Integer> done) implements Commit {
        @Override
        public void fail(RuntimeException e) {
            done.completeExceptionally(e);
        }
    }

    long size() {
        return size;
    }

    long commits() {
        return commits.get();
    }

    long failedCommits() {
        return failedCommits.get();
    }

    int waiting() {
        return queue.size();
    }

    Long cachedVersion(String stream) {
        return streamVersions.get(stream);
    }

    Frontier frontier() {
        return frontier;
    }

    void onCommit(Runnable listener) {
        listeners.add(listener);
    }

    void removeCommitListener(Runnable listener) {
        listeners.remove(listener);
    }

    /** An append is refused at once when the queue is full: the caller decides whether to retry. */
    void submit(Append append) {
        requireOpen();
        if (!queue.offer(append)) {
            throw new StoreOverloadedException(queue.size());
        }
        withdrawIfClosed(append);
    }

    /** Archiving waits for room (ingest is back-pressured rather than refused), up to a minute. */
    void submit(Archive archive) throws InterruptedException {
        long deadline = System.nanoTime() + ARCHIVE_WAIT_NANOS;
        while (true) {
            requireOpen();
            if (queue.offer(archive, 100, TimeUnit.MILLISECONDS)) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new StoreOverloadedException(queue.size());
            }
        }
        withdrawIfClosed(archive);
    }

    private void requireOpen() {
        if (closing || !thread.isAlive()) {
            throw new StoreException("the event store is closed", null);
        }
    }

    /**
     * A request queued while the store closed might be left behind by a committer that already stopped: if it
     * is still in the queue, take it back and refuse it (if the committer or close took it, they answer it).
     */
    private void withdrawIfClosed(Commit commit) {
        if (closing && queue.remove(commit)) {
            commit.fail(new StoreException("the event store closed before this was written", null));
        }
    }

    private void loop() {
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
                break;
            } catch (RuntimeException | Error e) {
                // nothing may end this thread while requests wait on it: answer them and go on
                LOG.error("the committer failed on a batch of {} requests", batch.size(), e);
                StoreException failure = new StoreException("the write failed, nothing of it was stored: " + e, e);
                batch.forEach(c -> c.fail(failure));
                if (e instanceof VirtualMachineError fatal) {
                    throw fatal;
                }
            }
        }
    }

    private void commit(List<Commit> batch) {
        List<Runnable> completions = new ArrayList<>();
        CommitBatch staged = new CommitBatch(files, merkleNodes, frontier, this::streamVersion, size);
        Instant now = clock.instant();
        for (Commit c : batch) {
            try {
                if (c instanceof Append a) {
                    AppendResult result = staged.apply(a, now);
                    completions.add(() -> a.done().complete(result));
                } else if (c instanceof Archive ar) {
                    int written = staged.apply(ar, now);
                    completions.add(() -> ar.done().complete(written));
                }
            } catch (WrongExpectedVersionException | InvalidAppendException e) {
                completions.add(() -> c.fail(e));
            }
        }
        try {
            java.util.Optional<String> full = files.spaceRefusal();
            if (full.isPresent()) {
                throw new StoreFullException(full.get());
            }
            staged.write();
        } catch (StoreFullException e) {
            failedCommits.incrementAndGet();
            batch.forEach(c -> c.fail(e));
            return;
        } catch (RocksDBException | RuntimeException e) {
            failedCommits.incrementAndGet();
            if (StoreFiles.isOutOfSpace(e)) {
                // RocksDB's own check of the budget (or a full volume): the same refusal as ours
                StoreFullException full = new StoreFullException(files.spaceRefusal().orElse(files.hasDiskBudget()
                        ? "the store's disk budget is used up (RocksDB: " + e.getMessage() + "): raise store.max.disk.bytes or free "
                          + "space; appends resume by themselves"
                        : "the store's volume is full (RocksDB: " + e.getMessage() + "): free space; appends resume by themselves"));
                batch.forEach(c -> c.fail(full));
                return;
            }
            StoreException failure = new StoreException("the write failed, nothing of it was stored: " + e.getMessage(), e);
            LOG.error("group commit of {} requests failed: {}", batch.size(), e.getMessage());
            batch.forEach(c -> c.fail(failure));
            return;
        }
        commits.incrementAndGet();
        streamVersions.putAll(staged.versions());
        staged.publishFrontier();
        size = staged.next();
        completions.forEach(Runnable::run);
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.warn("a commit listener threw (the committer goes on): {}", e.toString());
            }
        }
    }

    /** The stream's last version, -1 when it has no events. */
    long streamVersion(String stream) {
        Long cached = streamVersions.get(stream);
        if (cached != null) {
            return cached;
        }
        byte[] v = files.get("stream_meta", stream.getBytes(StandardCharsets.UTF_8));
        return v == null ? -1 : Keys.readLong(v, 0);
    }

    /** Stops taking requests, writes what is queued, and stops (see {@link #stopped()}). */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join(30_000);
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(10_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Commit left;
        while ((left = queue.poll()) != null) {
            left.fail(new StoreException("the event store closed before this was written", null));
        }
    }

    boolean stopped() {
        return !thread.isAlive();
    }
}
