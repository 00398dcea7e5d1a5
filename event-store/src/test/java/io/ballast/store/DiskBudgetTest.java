package io.ballast.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's disk budget (RocksDB's SstFileManager): once its SST files reach it, appends are refused with an
 * error that says what to do, nothing acknowledged before is lost, and appends resume when the budget has room.
 */
class DiskBudgetTest {
    @TempDir
    Path dir;

    private static NewEvent event(Random random) {
        byte[] data = new byte[4096];
        random.nextBytes(data);
        return NewEvent.of(UUID.randomUUID(), "Blob", Instant.EPOCH, data);
    }

    @Test
    void appendsAreRefusedAtTheBudgetAndResumeWhenItHasRoom() {
        Random random = new Random(7);
        List<UUID> acknowledged = new ArrayList<>();
        try (EventStore store = EventStore.open(dir, StoreSettings.DEFAULTS.withMaxDiskBytes(512 * 1024))) {
            StoreFullException full = null;
            for (int round = 0; round < 100 && full == null; round++) {
                try {
                    for (int i = 0; i < 20; i++) {
                        NewEvent e = event(random);
                        store.append("s", ExpectedVersion.ANY, List.of(e));
                        acknowledged.add(e.eventId());
                    }
                    // memtables reach the disk (and the budget's count) when flushed
                    store.compact();
                } catch (StoreFullException e) {
                    full = e;
                } catch (StoreException e) {
                    // a flush RocksDB itself stopped at the budget: the next append meets the refusal
                }
            }
            assertTrue(full != null, "never refused; " + store.diskBytes() + " bytes of SST files");
            assertTrue(full.getMessage().startsWith("the store's disk budget"), full.getMessage());
            assertThrows(StoreFullException.class, () -> store.append("s", ExpectedVersion.ANY, List.of(event(random))));
            long size = store.size();
            assertEquals(acknowledged.size(), size, "exactly the acknowledged appends are stored");
            acknowledged.forEach(id -> assertTrue(store.positionOf(id).isPresent(), "lost " + id));
            store.setMaxDiskBytes(64L * 1024 * 1024);
            NewEvent after = event(random);
            long raised = System.nanoTime();
            // RocksDB takes writes again once it sees room (it recovers from its own space error by itself)
            RoomAgain.awaitAppended(store, "s", after, Duration.ofSeconds(60));
            assertEquals(size + 1, store.size());
            System.out.printf("disk budget: %d appends acknowledged before the refusal, 0 lost; appends resumed %d ms after the budget "
                    + "was raised%n", acknowledged.size(), (System.nanoTime() - raised) / 1_000_000);
        }
        try (EventStore reopened = EventStore.open(dir, StoreSettings.DEFAULTS)) {
            acknowledged.forEach(id -> assertTrue(reopened.positionOf(id).isPresent(), "lost after reopening " + id));
            assertTrue(StoreAudit.verify(reopened, null).ok());
        }
    }
}
