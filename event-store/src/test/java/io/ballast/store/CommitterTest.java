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
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (EventStore store = EventStore.open(dir, new StoreSettings(1024, 1, true).withMaxQueued(1))) {
            // the listener runs on the committer thread: holding it there keeps the next request queued
            Runnable hold = () -> {
                held.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            store.onCommit(hold);
            CompletableFuture<AppendResult> first = store.appendAsync("s", ExpectedVersion.ANY, List.of(event("1")));
            assertTrue(held.await(10, TimeUnit.SECONDS));
            store.removeCommitListener(hold);
            CompletableFuture<AppendResult> queued = store.appendAsync("s", ExpectedVersion.ANY, List.of(event("2")));
            StoreOverloadedException refused = assertThrows(StoreOverloadedException.class,
                    () -> store.appendAsync("s", ExpectedVersion.ANY, List.of(event("3"))));
            assertEquals("the store has 1 requests waiting to be written, its limit: retry the append shortly", refused.getMessage());
            assertEquals(1, store.committerStatus().waiting());
            release.countDown();
            assertEquals(0, first.get(10, TimeUnit.SECONDS).lastVersion());
            assertEquals(1, queued.get(10, TimeUnit.SECONDS).lastVersion());
            assertEquals(2, store.size());
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
}
