package io.ballast.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

import org.rocksdb.RocksIterator;

/**
 * The store's reads: the global log, a stream (within its retention), a type, an event-time range, the
 * archived offsets, and streams' metadata. Nothing past the committed size is ever returned.
 */
final class StoreReads {
    private final StoreFiles files;
    private final LongSupplier size;
    private final ToLongFunction<String> streamVersion;
    private final Clock clock;

    StoreReads(StoreFiles files, LongSupplier size, ToLongFunction<String> streamVersion, Clock clock) {
        this.files = files;
        this.size = size;
        this.streamVersion = streamVersion;
        this.clock = clock;
    }

    StoredEvent read(long position) {
        byte[] value = files.get("log", Keys.position(position));
        if (value == null) {
            throw new IllegalArgumentException("no event at position " + position + " (the log holds " + size.getAsLong() + ")");
        }
        return RecordCodec.decode(position, value);
    }

    List<StoredEvent> readAll(long from, int max) {
        List<StoredEvent> out = new ArrayList<>();
        long end = size.getAsLong();
        try (RocksIterator it = files.iterator("log")) {
            for (it.seek(Keys.position(Math.max(0, from))); it.isValid() && out.size() < max; it.next()) {
                long position = Keys.readLong(it.key(), 0);
                if (position >= end) {
                    break;
                }
                out.add(RecordCodec.decode(position, it.value()));
            }
        }
        return out;
    }

    void setMetadata(String stream, StreamMetadata metadata) {
        byte[] value = ByteBuffer.allocate(16).putLong(metadata.maxAge() == null ? 0 : metadata.maxAge().toMillis())
                .putLong(metadata.maxCount()).array();
        files.put("stream_meta", metadataKey(stream), value);
    }

    StreamMetadata metadata(String stream) {
        byte[] v = files.get("stream_meta", metadataKey(stream));
        if (v == null) {
            return StreamMetadata.NONE;
        }
        long age = Keys.readLong(v, 0);
        return new StreamMetadata(age == 0 ? null : Duration.ofMillis(age), Keys.readLong(v, 8));
    }

    /** Metadata keys start with 0x01, which no stream name does (names have no control characters). */
    private static byte[] metadataKey(String stream) {
        byte[] name = stream.getBytes(StandardCharsets.UTF_8);
        byte[] key = new byte[name.length + 1];
        key[0] = 1;
        System.arraycopy(name, 0, key, 1, name.length);
        return key;
    }

    List<StoredEvent> readStream(String stream, long from, boolean forward, int max) {
        StreamMetadata meta = metadata(stream);
        long minVersion = meta.maxCount() > 0 ? streamVersion.applyAsLong(stream) - meta.maxCount() + 1 : 0;
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
        try (RocksIterator it = files.iterator("streams")) {
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

    List<StoredEvent> readType(String type, long from, int max) {
        List<StoredEvent> out = new ArrayList<>();
        byte[] prefix = Keys.namePrefix(type);
        try (RocksIterator it = files.iterator("types")) {
            for (it.seek(Keys.named(type, Math.max(0, from))); it.isValid() && out.size() < max
                    && Keys.startsWith(it.key(), prefix) && it.key().length == prefix.length + 8; it.next()) {
                out.add(read(Keys.numberAfterName(it.key())));
            }
        }
        return out;
    }

    List<StoredEvent> readTime(Instant from, long fromPosition, Instant to, int max) {
        List<StoredEvent> out = new ArrayList<>();
        try (RocksIterator it = files.iterator("times")) {
            for (it.seek(Keys.time(from.toEpochMilli(), fromPosition)); it.isValid() && out.size() < max; it.next()) {
                if (Keys.timeOf(it.key()) >= to.toEpochMilli()) {
                    break;
                }
                out.add(read(Keys.readLong(it.key(), 8)));
            }
        }
        return out;
    }

    /**
     * Hands every stored value of event time [from, to) and position below {@code below} whose type is in {@code types}
     * (all when empty) to {@code sink}, in event-time order (then position), as stored: checksum and body. The count.
     */
    long scanTime(Instant from, Instant to, long below, java.util.Set<String> types, RecordStream.Sink sink) throws java.io.IOException {
        long count = 0;
        long end = Math.min(below, size.getAsLong());
        try (RocksIterator it = files.iterator("times"); LogCursor log = new LogCursor(files.iterator("log"))) {
            for (it.seek(Keys.time(from.toEpochMilli(), 0)); it.isValid(); it.next()) {
                byte[] key = it.key();
                if (Keys.timeOf(key) >= to.toEpochMilli()) {
                    break;
                }
                long position = Keys.readLong(key, 8);
                if (position >= end) {
                    continue;
                }
                byte[] value = log.at(position);
                if (value == null) {
                    throw new CorruptRecordException(position, "indexed by time but not in the log");
                }
                if (types.isEmpty() || types.contains(RecordCodec.type(position, value))) {
                    sink.accept(position, value);
                    count++;
                }
            }
        }
        return count;
    }

    /**
     * Reads the log at positions that mostly ascend by small steps (an event-time range of events archived in about
     * that order): a step of the iterator is several times cheaper than a point read, and a seek is no dearer than one.
     */
    private static final class LogCursor implements AutoCloseable {
        private static final int MAX_STEPS = 8;
        private final RocksIterator log;
        private long current = -1;

        LogCursor(RocksIterator log) {
            this.log = log;
        }

        byte[] at(long position) {
            int steps = 0;
            while (current >= 0 && current < position && steps++ < MAX_STEPS) {
                log.next();
                current = log.isValid() ? Keys.readLong(log.key(), 0) : -1;
            }
            if (current != position) {
                log.seek(Keys.position(position));
                current = log.isValid() ? Keys.readLong(log.key(), 0) : -1;
            }
            return current == position ? log.value() : null;
        }

        @Override
        public void close() {
            log.close();
        }
    }

    Map<String, Long> offsets() {
        Map<String, Long> out = new TreeMap<>();
        try (RocksIterator it = files.iterator("offsets")) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                out.put(new String(it.key(), StandardCharsets.UTF_8), Keys.readLong(it.value(), 0));
            }
        }
        return out;
    }

    long lastPosition() {
        try (RocksIterator it = files.iterator("log")) {
            it.seekToLast();
            return it.isValid() ? Keys.readLong(it.key(), 0) : -1;
        }
    }
}
