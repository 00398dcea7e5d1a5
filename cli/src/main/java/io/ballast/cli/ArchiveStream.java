package io.ballast.cli;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.ballast.registry.RegistryClient;
import io.ballast.serde.EventDecoder;
import io.ballast.serde.UndecodableRecordException;
import io.ballast.store.RecordStream;
import io.ballast.store.StoredEvent;
import org.apache.avro.specific.SpecificRecord;

/**
 * The archived inputs and recorded decisions of one or more decision classes in an event-time range, read from the store
 * as one stream of records ({@code GET /time/records}) in event-time order, each checked (checksum, position) and decoded
 * from the wire format the job read it in, and handed to each class's re-run as it comes: nothing of the range is held
 * here, so a month is read as a minute is, and several classes cost one pass over the range. Counts what each read.
 */
final class ArchiveStream {
    private static final int BATCH = 1024;
    private final StoreClient store;
    private final RegistryClient registry;
    private final List<Part> parts = new ArrayList<>();
    // written on the reader thread; read once its last batch was taken from the queue (which orders the two)
    private final Map<String, Long> undecodable = new HashMap<>();

    /** What the store refused to serve, or a stream that broke off. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /** The inputs read so far: how many, and the store positions they span (-1: none). */
    record Span(long inputs, long fromPosition, long toPosition) {
    }

    /** One decision class's share of the pass: its re-run, and what it was handed. */
    final class Part {
        private final DecisionReplay replay;
        private final String decisionType;
        private DecisionReplay.Run run;
        private long inputs;
        private long fromPosition = -1;
        private long toPosition = -1;
        private long decisions;

        private Part(DecisionReplay replay) {
            this.replay = replay;
            this.decisionType = replay.decisionType().getSimpleName();
        }

        private void dispatch(ArchivedEvent e) {
            if (e.event().getSchema().getName().equals(decisionType)) {
                decisions++;
                run.recorded(e);
            } else {
                inputs++;
                fromPosition = fromPosition < 0 ? e.position() : Math.min(fromPosition, e.position());
                toPosition = Math.max(toPosition, e.position());
                run.input(e);
            }
        }

        /** Ends the re-run: the decisions still open are checked. */
        void finish() {
            run.finish();
        }

        Span span() {
            return new Span(inputs, fromPosition, toPosition);
        }

        long decisions() {
            return decisions;
        }

        /** Records of the class's types whose bytes are not an event in the wire format (left out). */
        long undecodable() {
            long n = undecodable.getOrDefault(decisionType, 0L);
            for (Class<?> t : replay.inputTypes()) {
                n += undecodable.getOrDefault(t.getSimpleName(), 0L);
            }
            return n;
        }
    }

    ArchiveStream(StoreClient store, RegistryClient registry) {
        this.store = store;
        this.registry = registry;
    }

    /** Adds a decision class to the pass; {@code start} starts its re-run, which may report the part's span as it goes. */
    Part add(DecisionReplay replay, Function<Part, DecisionReplay.Run> start) {
        Part part = new Part(replay);
        part.run = start.apply(part);
        parts.add(part);
        return part;
    }

    /**
     * Reads every input and recorded decision of the added classes in [from, to) below position {@code below} into their
     * re-runs. The records are read and decoded on a thread of their own, a batch ahead, while the re-runs run on this one.
     */
    void read(Instant from, Instant to, long below) throws StoreClient.Unreachable, Refused {
        Map<String, EventDecoder<? extends SpecificRecord>> decoders = new HashMap<>();
        Map<String, List<Part>> readers = new HashMap<>();
        for (Part part : parts) {
            List<Class<? extends SpecificRecord>> types = new ArrayList<>(part.replay.inputTypes());
            types.add(part.replay.decisionType());
            for (Class<? extends SpecificRecord> t : types) {
                decoders.computeIfAbsent(t.getSimpleName(), n -> EventDecoder.specific(registry, t));
                readers.computeIfAbsent(t.getSimpleName(), n -> new ArrayList<>()).add(part);
            }
        }
        String types = decoders.keySet().stream().sorted().collect(Collectors.joining(","));
        InputStream body = store.stream("/time/records?from=" + from + "&to=" + to + "&below=" + below + "&types=" + types);
        BlockingQueue<Batch> batches = new ArrayBlockingQueue<>(8);
        Thread reader = new Thread(() -> decodeAll(body, decoders, batches), "ballast-archive-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            for (Batch batch = take(batches); !batch.events().isEmpty(); batch = take(batches)) {
                for (ArchivedEvent e : batch.events()) {
                    for (Part part : readers.get(e.event().getSchema().getName())) {
                        part.dispatch(e);
                    }
                }
            }
        } finally {
            // a re-run that failed stops the reader: its next read of the closed stream fails
            closeQuietly(body);
        }
    }

    /** Decoded events a batch at a time; an empty batch is the end, one with a failure says why reading stopped. */
    private record Batch(List<ArchivedEvent> events, String failure) {
    }

    private void decodeAll(InputStream body, Map<String, EventDecoder<? extends SpecificRecord>> decoders, BlockingQueue<Batch> batches) {
        try (RecordStream.Reader records = new RecordStream.Reader(body)) {
            List<ArchivedEvent> batch = new ArrayList<>(BATCH);
            for (StoredEvent e = records.next(); e != null; e = records.next()) {
                ArchivedEvent archived = decode(e, decoders.get(e.type()));
                if (archived != null) {
                    batch.add(archived);
                }
                if (batch.size() == BATCH) {
                    batches.put(new Batch(batch, null));
                    batch = new ArrayList<>(BATCH);
                }
            }
            if (!batch.isEmpty()) {
                batches.put(new Batch(batch, null));
            }
            batches.put(new Batch(List.of(), null));
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            try {
                // bounded: after a failed re-run nobody takes it
                batches.offer(new Batch(List.of(), why), 1, TimeUnit.MINUTES);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Batch take(BlockingQueue<Batch> batches) throws Refused {
        try {
            Batch b = batches.poll(10, TimeUnit.MINUTES);
            if (b == null) {
                throw new Refused("the event store sent nothing for 10 minutes");
            }
            if (b.failure() != null) {
                throw new Refused("reading the archive from the event store failed: " + b.failure());
            }
            return b;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused("interrupted");
        }
    }

    private static void closeQuietly(InputStream body) {
        try {
            body.close();
        } catch (IOException e) {
            // closing only stops the reader thread
        }
    }

    /**
     * The event, or null for bytes that are not an event in the wire format: such a record was never read by a job from
     * Kafka (it was appended to the store directly), or was dead-lettered by it.
     */
    private ArchivedEvent decode(StoredEvent e, EventDecoder<? extends SpecificRecord> decoder) {
        if (decoder == null) {
            return null;
        }
        try {
            return new ArchivedEvent(e.position(), e.occurredAt(), e.origin(), decoder.decode(e.stream(), -1, e.position(), e.data()));
        } catch (UndecodableRecordException ex) {
            undecodable.merge(e.type(), 1L, Long::sum);
            return null;
        }
    }
}
