package io.ballast.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A time range streamed as records from a real store, read back and checked: types, positions, a cut, a flipped byte. */
class RecordStreamTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    @TempDir
    Path dir;
    private EventStore store;

    @BeforeEach
    void open() {
        store = EventStore.open(dir.resolve("store"), StoreSettings.DEFAULTS);
        // appended out of event-time order: positions 0..5 at 50, 40, 30, 20, 10, 0 s, types alternating
        for (int i = 0; i < 6; i++) {
            store.append("s-" + i, ExpectedVersion.ANY, List.of(new NewEvent(UUID.randomUUID(), i % 2 == 0 ? "A" : "B",
                    T0.plusSeconds(50 - 10L * i), ("event " + i).getBytes(StandardCharsets.UTF_8), Map.of(), new Origin("t", 0, i))));
        }
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aRangeComesInEventTimeOrderOfTheTypesAskedBelowTheGivenPosition() throws IOException {
        byte[] bytes = stream(T0.plusSeconds(10), T0.plusSeconds(50), 5, Set.of("A"));

        List<StoredEvent> read = readAll(bytes);
        // A are positions 0, 2, 4 (50, 30, 10 s); 0 is at the range's end (exclusive)
        assertEquals(List.of(4L, 2L), read.stream().map(StoredEvent::position).toList());
        assertEquals(List.of("event 4", "event 2"), read.stream().map(e -> new String(e.data(), StandardCharsets.UTF_8)).toList());
        assertEquals(new Origin("t", 0, 2), read.get(1).origin());
        assertEquals(List.of(4L, 3L, 2L, 1L), readAll(stream(T0.plusSeconds(10), T0.plusSeconds(50), 5, Set.of())).stream()
                .map(StoredEvent::position).toList(), "all types; position 5 (0 s) is before the range");
        assertEquals(List.of(4L, 3L, 2L, 1L, 0L), readAll(stream(T0, T0.plusSeconds(60), 5, Set.of())).stream()
                .map(StoredEvent::position).toList(), "position 5 (0 s) is not below 5");
    }

    @Test
    void positionsInterleavedAndAscendingInEventTimeAreEachReadOnceInTimeOrder() throws IOException {
        // positions 6..45 at 100 + n s, in append order, except every fourth, which goes back to 60 + n s: the reader steps
        // forward through runs and goes back to the interleaved ones
        Map<Long, Instant> times = new java.util.TreeMap<>();
        for (int n = 0; n < 40; n++) {
            Instant at = T0.plusSeconds(n % 4 == 3 ? 60 + n : 100 + n);
            long position = store.append("t-" + n, ExpectedVersion.ANY, List.of(new NewEvent(UUID.randomUUID(), "A", at,
                    ("late " + n).getBytes(StandardCharsets.UTF_8), Map.of(), new Origin("t", 1, n)))).firstPosition();
            times.put(position, at);
        }
        List<Long> expected = times.keySet().stream().filter(p -> p < 40)
                .sorted(java.util.Comparator.comparing((Long p) -> times.get(p)).thenComparing(p -> p)).toList();

        List<StoredEvent> read = readAll(stream(T0.plusSeconds(60), T0.plusSeconds(200), 40, Set.of("A")));

        assertEquals(expected, read.stream().map(StoredEvent::position).toList());
        read.forEach(e -> assertEquals(times.get(e.position()), e.occurredAt()));
    }

    @Test
    void aStreamCutAnywhereBeforeItsEndMarkIsAnErrorNotAnEnd() throws IOException {
        byte[] bytes = stream(T0, T0.plusSeconds(60), Long.MAX_VALUE, Set.of());
        assertEquals(6, readAll(bytes).size());
        for (int cut = 0; cut < bytes.length; cut++) {
            byte[] part = Arrays.copyOf(bytes, cut);
            IOException e = assertThrows(IOException.class, () -> readAll(part), "cut at " + cut);
            assertTrue(e.getMessage().startsWith("the record stream was cut after "), e.getMessage());
        }
    }

    @Test
    void aFlippedByteInARecordFailsItsChecksum() throws IOException {
        byte[] bytes = stream(T0, T0.plusSeconds(60), Long.MAX_VALUE, Set.of());
        // the first frame: position (8), length (4), then the checksum (4) and the body; flip the body's last byte
        int length = java.nio.ByteBuffer.wrap(bytes, 8, 4).getInt();
        bytes[12 + length - 1] ^= 1;

        CorruptRecordException e = assertThrows(CorruptRecordException.class, () -> readAll(bytes));
        assertEquals(5, e.position());
    }

    private byte[] stream(Instant from, Instant to, long below, Set<String> types) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long count = store.streamTime(from, to, below, types, new RecordStream.Writer(out));
        assertEquals(count, readAll(out.toByteArray()).size());
        return out.toByteArray();
    }

    private static List<StoredEvent> readAll(byte[] bytes) throws IOException {
        List<StoredEvent> out = new ArrayList<>();
        try (RecordStream.Reader reader = new RecordStream.Reader(new ByteArrayInputStream(bytes))) {
            for (StoredEvent e = reader.next(); e != null; e = reader.next()) {
                out.add(e);
            }
        }
        return out;
    }
}
