package io.ballast.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real child process appends from four threads and is killed with SIGKILL (kill -9) mid-stream; the store
 * reopened holds every acknowledged event at its acknowledged position and nothing partial: every record
 * passes its checksum, the Merkle log covers exactly the log, streams have no gap, and it still appends.
 */
class KillDuringAppendsTest {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedAppendSurvivesKillNineAndNothingPartialIsLeft() throws Exception {
        Path storeDir = dir.resolve("store");
        // its own temporary directory, deleted with the test's: a killed JVM leaves what it extracted there (RocksDB's 15 MB library)
        Path childTmp = Files.createDirectories(dir.resolve("child-tmp"));
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + childTmp, "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(), storeDir.toString())
                .redirectErrorStream(true).start();
        Map<UUID, Long> acknowledged = new HashMap<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && acknowledged.size() < 3000) {
                if (line.startsWith("ACK ")) {
                    String[] parts = line.split(" ");
                    acknowledged.put(UUID.fromString(parts[1]), Long.parseLong(parts[2]));
                }
            }
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, mid-append
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(137, child.exitValue(), "killed by SIGKILL");
        assertEquals(3000, acknowledged.size());
        try (EventStore store = EventStore.open(storeDir, StoreSettings.DEFAULTS)) {
            assertTrue(store.size() >= acknowledged.size(), store.size() + " events, " + acknowledged.size() + " acknowledged");
            acknowledged.forEach((id, position) -> {
                assertEquals(position, store.positionOf(id).orElseThrow(() -> new AssertionError("lost " + id)));
                assertEquals(id, store.read(position).eventId());
            });
            StoreAudit.Report report = StoreAudit.verify(store, null);
            assertTrue(report.ok(), report.problems().toString());
            long total = 0;
            for (int t = 0; t < 4; t++) {
                List<StoredEvent> stream = store.readStream("crash-" + t, 0, true, Integer.MAX_VALUE);
                for (int v = 0; v < stream.size(); v++) {
                    assertEquals(v, stream.get(v).version(), "no gap in crash-" + t);
                }
                assertEquals(stream.size() - 1, store.streamVersion("crash-" + t));
                total += stream.size();
            }
            assertEquals(store.size(), total, "every record belongs to a stream index entry");
            store.append("crash-0", new ExpectedVersion.Exact(store.streamVersion("crash-0")),
                    List.of(NewEvent.of(UUID.randomUUID(), "After", java.time.Instant.EPOCH, new byte[] {1})));
        }
    }
}
