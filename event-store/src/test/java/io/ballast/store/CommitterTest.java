package io.ballast.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committer under stress on a real RocksDB: a listener that throws does not stop it, a full queue refuses
 * appends instead of growing, closing under load answers every request, and writes are synced.
 */
class CommitterTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private static NewEvent event(String data) {
        return NewEvent.of(UUID.randomUUID(), "T", T0, data.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheCommitter() throws Exception {
        try (EventStore store = EventStore.open(dir, StoreSettings.DEFAULTS)) {
            store.onCommit(() -> {
                throw new IllegalStateException("a broken listener");
            });
            store.appendAsync("s", ExpectedVersion.ANY, List.of(event("one"))).get(10, TimeUnit.SECONDS);
            AppendResult second = store.appendAsync("s", ExpectedVersion.ANY, List.of(event("two"))).get(10, TimeUnit.SECONDS);
            assertEquals(1, second.lastVersion());
            assertTrue(store.committerStatus().running());
        }
    }

    @Test
    void aFullQueueRefusesAppendsAtOnceAndWritesWhatItTook() throws Exception {
        HeldCommit held = new HeldCommit();
        try (EventStore store = EventStore.open(dir, new StoreSettings(1024, 1, true).withMaxQueued(1))) {
            CompletableFuture<AppendResult> first = held.hold(store, () -> store.appendAsync("s", ExpectedVersion.ANY, List.of(event("1"))));
            CompletableFuture<AppendResult> queued = store.appendAsync("s", ExpectedVersion.ANY, List.of(event("2")));
            StoreOverloadedException refused = assertThrows(StoreOverloadedException.class,
                    () -> store.appendAsync("s", ExpectedVersion.ANY, List.of(event("3"))));
            assertEquals("the store has 1 requests waiting to be written, its limit: retry the append shortly", refused.getMessage());
            assertEquals(1, store.committerStatus().waiting());
            held.release();
            assertEquals(0, first.get(10, TimeUnit.SECONDS).lastVersion());
            assertEquals(1, queued.get(10, TimeUnit.SECONDS).lastVersion());
            assertEquals(2, store.size());
        }
    }

    /**
     * A group commit puts each family's entries in key order (RocksDB inserts them faster so): what many requests
     * wrote in one commit reads back as if written one by one, and an offset staged twice keeps its last value.
     */
    @Test
    void oneGroupCommitOfManyRequestsReadsBackAsWrittenOneByOne() throws Exception {
        HeldCommit held = new HeldCommit();
        try (EventStore store = EventStore.open(dir, StoreSettings.DEFAULTS)) {
            held.hold(store, () -> store.appendAsync("first", ExpectedVersion.ANY, List.of(event("first"))));
            // queued behind the held commit: one group commit takes them all
            List<NewEvent> written = new ArrayList<>();
            List<CompletableFuture<?>> requests = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String stream = "s-" + i * 5 % 7; // streams, times and types in no order
                NewEvent e = NewEvent.of(UUID.randomUUID(), "T" + (i % 3), T0.minusSeconds(i * 37L % 11), ("e" + i).getBytes(StandardCharsets.UTF_8));
                written.add(e);
                requests.add(i % 2 == 0 ? store.appendAsync(stream, ExpectedVersion.ANY, List.of(e))
                        : store.archiveAsync(List.of(new EventStore.Archived(stream, e)), java.util.Map.of("t:0", (long) i)));
            }
            assertEquals(40, store.committerStatus().waiting());
            held.release();
            for (CompletableFuture<?> r : requests) {
                r.get(10, TimeUnit.SECONDS);
            }
            assertEquals(2, store.commits(), "the first request's commit, then one for the other 40");
            assertEquals(java.util.Map.of("t:0", 39L), store.offsets());
            for (int i = 0; i < 40; i++) {
                NewEvent e = written.get(i);
                StoredEvent stored = store.read(i + 1);
                assertEquals(e.eventId(), stored.eventId());
                assertEquals(java.util.Optional.of(i + 1L), store.positionOf(e.eventId()));
                assertEquals("e" + i, new String(stored.data(), StandardCharsets.UTF_8));
            }
            for (int s = 0; s < 7; s++) {
                String stream = "s-" + s;
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    if (i * 5 % 7 == s) {
                        expected.add("e" + i);
                    }
                }
                assertEquals(expected, store.readStream(stream, 0, true, 100).stream()
                        .map(e -> new String(e.data(), StandardCharsets.UTF_8)).toList(), stream);
                assertEquals(expected.size() - 1, store.streamVersion(stream));
            }
            assertEquals(13, store.readType("T1", 0, 100).size());
            List<Instant> times = store.readTime(T0.minusSeconds(60), T0.plusSeconds(1), 100).stream().map(StoredEvent::occurredAt).toList();
            assertEquals(41, times.size());
            assertEquals(times.stream().sorted().toList(), times);
            StoreAudit.Report audit = StoreAudit.verify(store, null);
            assertTrue(audit.ok(), audit.problems().toString());
            assertEquals(41 + 2 + 1, audit.nodesChecked(), "41 records, the Merkle nodes over 0..15 and 16..31, and the one over both");
        }
    }

    @Test
    void closingUnderLoadAnswersEveryRequestAndKeepsEveryAcknowledgedOne() throws Exception {
        List<CompletableFuture<AppendResult>> requests = new ArrayList<>();
        AtomicBoolean closed = new AtomicBoolean();
        EventStore store = EventStore.open(dir, StoreSettings.DEFAULTS);
        List<Thread> writers = new ArrayList<>();
        CountDownLatch started = new CountDownLatch(4);
        for (int t = 0; t < 4; t++) {
            String stream = "w" + t;
            writers.add(new Thread(() -> {
                started.countDown();
                while (!closed.get()) {
                    try {
                        CompletableFuture<AppendResult> f = store.appendAsync(stream, ExpectedVersion.ANY, List.of(event(stream)));
                        synchronized (requests) {
                            requests.add(f);
                        }
                    } catch (StoreException refusedAfterClose) {
                        return;
                    }
                }
            }));
        }
        writers.forEach(Thread::start);
        assertTrue(started.await(10, TimeUnit.SECONDS));
        while (store.size() < 500) {
            // wait for the writers to reach full speed: the committer's own progress is the condition
            store.appendAsync("pace", ExpectedVersion.ANY, List.of(event("pace"))).get(10, TimeUnit.SECONDS);
        }
        store.close();
        closed.set(true);
        for (Thread w : writers) {
            w.join(10_000);
        }
        int acknowledged = 0;
        int refused = 0;
        synchronized (requests) {
            for (CompletableFuture<AppendResult> f : requests) {
                try {
                    f.get(10, TimeUnit.SECONDS);
                    acknowledged++;
                } catch (ExecutionException e) {
                    assertTrue(e.getCause() instanceof StoreException, e.getCause().toString());
                    refused++;
                }
            }
        }
        try (EventStore reopened = EventStore.open(dir, StoreSettings.DEFAULTS)) {
            long writerEvents = reopened.readAll(0, Integer.MAX_VALUE).stream().filter(e -> e.stream().startsWith("w")).count();
            assertEquals(acknowledged, writerEvents, refused + " refused");
        }
    }

    @Test
    void everyWriteIsSyncedBeforeItIsAcknowledged() {
        try (EventStore store = EventStore.open(dir, StoreSettings.DEFAULTS)) {
            assertTrue(store.committerStatus().synced(), "the default settings must fsync before acknowledging");
        }
        try (EventStore store = EventStore.open(dir, new StoreSettings(1024, 10, false))) {
            assertEquals(false, store.committerStatus().synced());
        }
    }

    /** Holds the committer in a commit listener (listeners run on its thread) until released: requests made meanwhile queue. */
    private static final class HeldCommit {
        private final CountDownLatch held = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);
        private final Runnable hold = () -> {
            held.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };

        /** Makes the request and returns once its commit holds the committer. */
        <T> CompletableFuture<T> hold(EventStore store, java.util.function.Supplier<CompletableFuture<T>> request) throws InterruptedException {
            store.onCommit(hold);
            CompletableFuture<T> first = request.get();
            assertTrue(held.await(10, TimeUnit.SECONDS));
            store.removeCommitListener(hold);
            return first;
        }

        void release() {
            release.countDown();
        }
    }
}
