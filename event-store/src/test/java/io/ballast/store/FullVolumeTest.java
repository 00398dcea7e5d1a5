package io.ballast.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store on a volume that really fills up: a 24 MiB tmpfs mounted for the test (where the machine allows a
 * mount: root on Linux; skipped elsewhere, saying why), with a filler file taking most of it. Appends go until the
 * volume has no space left; then they are refused with an error that says so, nothing acknowledged is lost, and
 * once the filler is removed appends resume by themselves; after a reopen every acknowledged event is there and
 * the Merkle log verifies.
 */
class FullVolumeTest {
    private static final String SIZE = "512m";
    @TempDir
    Path dir;
    private Path volume;
    private boolean mounted;

    @BeforeEach
    void mount() throws Exception {
        volume = Files.createDirectories(dir.resolve("volume"));
        String said;
        boolean done;
        try {
            Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + SIZE, "tmpfs", volume.toString())
                    .redirectErrorStream(true).start();
            said = new String(mount.getInputStream().readAllBytes());
            done = mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0;
        } catch (IOException noMount) {
            said = String.valueOf(noMount.getMessage());
            done = false;
        }
        assumeTrue(done, "cannot mount a tmpfs of " + SIZE + " here (needs root on Linux): " + said.strip());
        mounted = true;
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            new ProcessBuilder("umount", volume.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFullVolumeRefusesAppendsLosesNothingAndAppendsResumeWhenSpaceReturns() throws Exception {
        Path filler = volume.resolve("filler");
        try (var out = Files.newOutputStream(filler)) {
            byte[] chunk = new byte[1024 * 1024];
            for (int i = 0; i < 500; i++) {
                out.write(chunk);
            }
        }
        Path storeDir = Files.createDirectories(volume.resolve("store"));
        Random random = new Random(11);
        List<UUID> acknowledged = new ArrayList<>();
        StoreFullException full = null;
        try (EventStore store = EventStore.open(storeDir, StoreSettings.DEFAULTS)) {
            for (int i = 0; i < 10_000 && full == null; i++) {
                NewEvent e = event(random);
                try {
                    store.append("s", ExpectedVersion.ANY, List.of(e));
                    acknowledged.add(e.eventId());
                } catch (StoreFullException refused) {
                    full = refused;
                }
            }
            assertTrue(full != null, "never refused; " + acknowledged.size() + " appends acknowledged");
            assertTrue(full.getMessage().startsWith("the store's volume is full"), full.getMessage());
            assertEquals(acknowledged.size(), store.size(), "exactly the acknowledged appends are stored");
            Files.delete(filler);
            long freed = System.nanoTime();
            NewEvent after = event(random);
            RoomAgain.awaitAppended(store, "s", after, Duration.ofSeconds(60));
            acknowledged.add(after.eventId());
            System.out.printf("full volume: %d appends acknowledged before the volume filled, 0 lost; appends resumed %d ms after "
                    + "space returned%n", acknowledged.size() - 1, (System.nanoTime() - freed) / 1_000_000);
        }
        try (EventStore reopened = EventStore.open(storeDir, StoreSettings.DEFAULTS)) {
            assertEquals(acknowledged.size(), reopened.size());
            acknowledged.forEach(id -> assertTrue(reopened.positionOf(id).isPresent(), "lost after reopening " + id));
            assertTrue(StoreAudit.verify(reopened, null).ok());
        }
    }

    private static NewEvent event(Random random) {
        byte[] data = new byte[4096];
        random.nextBytes(data);
        return NewEvent.of(UUID.randomUUID(), "Blob", Instant.EPOCH, data);
    }
}
