package io.ballast.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.ballast.audit.MerkleHash;
import io.ballast.audit.ProofVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store on a real RocksDB in a temporary directory: appends, versions, retries, reads, group commit, reopen, corruption. */
class EventStoreTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private static NewEvent event(String type, int second, String data) {
        return NewEvent.of(UUID.nameUUIDFromBytes((type + second + data).getBytes(StandardCharsets.UTF_8)), type, T0.plusSeconds(second),
                data.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> data(List<StoredEvent> events) {
        return events.stream().map(e -> new String(e.data(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void appendsGetVersionsAndPositionsAndReadBackEveryWay() {
        try (EventStore store = EventStore.open(dir, StoreSettings.DEFAULTS)) {
            AppendResult first = store.append("order-1", ExpectedVersion.NO_STREAM,
                    List.of(event("Created", 1, "a"), event("Paid", 5, "b"), event("Shipped", 9, "c")));
            assertEquals(new AppendResult("order-1", 0, 2, 3, false), first);
            AppendResult second = store.append("order-2", ExpectedVersion.ANY, List.of(event("Created", 3, "d")));
            assertEquals(new AppendResult("order-2", 3, 0, 1, false), second);
            assertEquals(new AppendResult("order-1", 4, 3, 1, false),
                    store.append("order-1", new ExpectedVersion.Exact(2), List.of(event("Closed", 12, "e"))));
            assertEquals(List.of("a", "b", "c", "e"), data(store.readStream("order-1", 0, true, 100)));
            assertEquals(List.of("c", "b"), data(store.readStream("order-1", 2, false, 2)));
            assertEquals(List.of("e", "c", "b", "a"), data(store.readStream("order-1", -1, false, 100)));
            assertEquals(List.of("b", "c", "d", "e"), data(store.readAll(1, 100)));
            assertEquals(List.of("a", "d"), data(store.readType("Created", 0, 100)));
            assertEquals(List.of("d"), data(store.readType("Created", 1, 100)));
            assertEquals(List.of("d", "b", "c"), data(store.readTime(T0.plusSeconds(2), T0.plusSeconds(12), 100)));
            assertEquals(3, store.streamVersion("order-1"));
            assertEquals(-1, store.streamVersion("nobody"));
            assertEquals(5, store.size());
        }
    }

    @Test
    void aWrongExpectedVersionIsRefusedWithBothVersionsAndWritesNothing() {
        try (EventStore store = EventStore.open(dir, StoreSettings.DEFAULTS)) {
            store.append("s", ExpectedVersion.ANY, List.of(event("T", 1, "a")));
            WrongExpectedVersionException e = assertThrows(WrongExpectedVersionException.class,
                    () -> store.append("s", new ExpectedVersion.Exact(4), List.of(event("T", 2, "b"))));
            assertEquals("append to stream 's' expected version 4 but the stream is at version 0", e.getMessage());
            assertEquals("append to stream 't' expected version streamExists but the stream is at no stream (-1)",
                    assertThrows(WrongExpectedVersionException.class,
                            () -> store.append("t", ExpectedVersion.STREAM_EXISTS, List.of(event("T", 3, "c")))).getMessage());
            assertThrows(WrongExpectedVersionException.class, () -> store.append("s", ExpectedVersion.NO_STREAM, List.of(event("T", 4, "d"))));
            assertEquals(1, store.size());
            assertEquals(new AppendResult("s", 1, 1, 1, false),
                    store.append("s", ExpectedVersion.STREAM_EXISTS, List.of(event("T", 5, "e"))));
        }
    }

    @Test
    void aRetriedAppendIsAnIdempotentSuccessAndAnIdReusedElsewhereIsRefused() {
        try (EventStore store = EventStore.open(dir, StoreSettings.DEFAULTS)) {
            List<NewEvent> events = List.of(event("T", 1, "a"), event("T", 2, "b"));
            AppendResult once = store.append("s", ExpectedVersion.NO_STREAM, events);
            AppendResult again = store.append("s", ExpectedVersion.NO_STREAM, events);
            assertEquals(new AppendResult("s", 0, 1, 2, true), again);
            assertEquals(once.firstPosition(), again.firstPosition());
            assertEquals(2, store.size());
            InvalidAppendException elsewhere = assertThrows(InvalidAppendException.class,
                    () -> store.append("other", ExpectedVersion.ANY, List.of(events.get(0))));
            assertEquals("event " + events.get(0).eventId() + " is already in stream 's' at version 0, not where this append puts it: "
                    + "an event id is appended once", elsewhere.getMessage());
        }
    }

    @Test
    void badAppendsAreRefusedWithWhatToFix() {
        try (EventStore store = EventStore.open(dir, new StoreSettings(100, 10, true))) {
            assertEquals("the stream name is empty: name the stream to append to", assertThrows(InvalidAppendException.class,
                    () -> store.append(" ", ExpectedVersion.ANY, List.of(event("T", 1, "a")))).getMessage());
            NewEvent big = event("T", 1, "x".repeat(101));
            assertEquals("event " + big.eventId() + " of 's' is 101 bytes, over the limit of 100", assertThrows(InvalidAppendException.class,
                    () -> store.append("s", ExpectedVersion.ANY, List.of(big))).getMessage());
            assertEquals("expected version -3 is below -2: use -2 (any), -1 (no stream), a version ≥ 0, or the names any, noStream, "
                    + "streamExists", assertThrows(IllegalArgumentException.class, () -> ExpectedVersion.of(-3)).getMessage());
            assertEquals(ExpectedVersion.NO_STREAM, ExpectedVersion.parse("-1"));
            assertEquals(0, store.size());
            store.append("s", ExpectedVersion.ANY, List.of(event("T", 1, "fine")));
            assertEquals(1, store.size());
        }
    }

    @Test
    void concurrentAppendsShareSyncsAndAllLand() throws Exception {
        int threads = 8;
        int perThread = 150;
        try (EventStore store = EventStore.open(dir, StoreSettings.DEFAULTS)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<List<AppendResult>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    List<CompletableFuture<AppendResult>> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        mine.add(store.appendAsync("stream-" + thread, new ExpectedVersion.Exact(i - 1) , List.of(event("T", i, thread + "-" + i))));
                        mine.get(i).join();
                    }
                    return mine.stream().map(CompletableFuture::join).toList();
                }));
            }
            for (Future<List<AppendResult>> r : results) {
                assertEquals(perThread, r.get().size());
            }
            pool.shutdown();
            assertEquals((long) threads * perThread, store.size());
            assertTrue(store.commits() < (long) threads * perThread, store.commits() + " syncs for " + threads * perThread + " appends");
            for (int t = 0; t < threads; t++) {
                assertEquals(perThread - 1, store.streamVersion("stream-" + t));
                assertEquals(t + "-0", data(store.readStream("stream-" + t, 0, true, 1)).get(0));
            }
        }
    }

    @Test
    void aReopenedStoreHasEverythingAndTheSameMerkleRoot() {
        byte[] root;
        try (EventStore store = EventStore.open(dir, StoreSettings.DEFAULTS)) {
            for (int i = 0; i < 37; i++) {
                store.append("s" + (i % 5), ExpectedVersion.ANY, List.of(event("T", i, "e" + i)));
            }
            root = store.merkle().root(37);
            List<byte[]> leaves = new ArrayList<>();
            for (int p = 0; p < 37; p++) {
                leaves.add(store.leafHash(p));
            }
            assertTrue(ProofVerifier.verifyInclusion(leaves.get(11), 11, 37, store.merkle().inclusionProof(11, 37), root));
            assertArrayEquals(MerkleHash.leaf(RecordCodec.body(store.read(11))), leaves.get(11));
        }
        try (EventStore store = EventStore.open(dir, StoreSettings.DEFAULTS)) {
            assertEquals(37, store.size());
            assertArrayEquals(root, store.merkle().root(37));
            assertEquals(7, store.streamVersion("s1")); // positions 1, 6, ..., 36
            store.append("s1", new ExpectedVersion.Exact(7), List.of(event("T", 99, "after")));
            assertTrue(ProofVerifier.verifyConsistency(37, 38, root, store.merkle().root(38), store.merkle().consistencyProof(37, 38)));
        }
    }

    /** A clock the test moves. */
    private static final class MovableClock extends java.time.Clock {
        private Instant now = T0;

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void streamRetentionHidesOldEventsFromStreamReadsButNotFromTheLog() {
        MovableClock clock = new MovableClock();
        try (EventStore store = EventStore.open(dir, StoreSettings.DEFAULTS, clock)) {
            for (int i = 0; i < 5; i++) {
                store.append("kept", ExpectedVersion.ANY, List.of(event("T", i, "k" + i)));
                clock.now = clock.now.plusSeconds(60);
            }
            store.setMetadata("kept", new StreamMetadata(null, 2));
            assertEquals(List.of("k3", "k4"), data(store.readStream("kept", 0, true, 100)));
            assertEquals(List.of("k4", "k3"), data(store.readStream("kept", -1, false, 100)));
            store.setMetadata("kept", new StreamMetadata(java.time.Duration.ofMinutes(3), 0));
            // recorded at T0, +1..+4 min; now T0 + 5 min: the last three are within 3 minutes
            assertEquals(List.of("k2", "k3", "k4"), data(store.readStream("kept", 0, true, 100)));
            assertEquals(new StreamMetadata(java.time.Duration.ofMinutes(3), 0), store.metadata("kept"));
            assertEquals(5, store.readAll(0, 100).size(), "the log keeps everything");
            assertEquals(4, store.streamVersion("kept"));
            assertEquals("the stream name 'a?b' has a control character", assertThrows(InvalidAppendException.class,
                    () -> store.append("a\u0001b", ExpectedVersion.ANY, List.of(event("T", 9, "x")))).getMessage());
        }
    }

    @Test
    void aCorruptRecordIsNamedByPositionAndTheRestStaysReadable() throws Exception {
        try (EventStore store = EventStore.open(dir, StoreSettings.DEFAULTS)) {
            for (int i = 0; i < 5; i++) {
                store.append("s", ExpectedVersion.ANY, List.of(event("T", i, "e" + i)));
            }
            byte[] value = store.get("log", Keys.position(2));
            value[value.length - 1] ^= 1;
            store.db().put(store.family("log"), Keys.position(2), value);
            CorruptRecordException e = assertThrows(CorruptRecordException.class, () -> store.read(2));
            assertEquals(2, e.position());
            assertTrue(e.getMessage().startsWith("record at position 2 is corrupt: checksum "), e.getMessage());
            assertEquals(List.of("e3", "e4"), data(store.readAll(3, 10)));
            assertFalse(store.readStream("s", 0, true, 2).isEmpty());
            store.append("s", ExpectedVersion.ANY, List.of(event("T", 9, "still appends")));
            assertEquals(6, store.size());
        }
    }
}
