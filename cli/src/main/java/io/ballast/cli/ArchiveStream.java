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
import java.util.stream.Collectors;

import io.ballast.rederive.AuditPass;
import io.ballast.rederive.ArchivedEvent;
import io.ballast.rebalance.InputPosition;
import io.ballast.registry.RegistryClient;
import io.ballast.serde.EventDecoder;
import io.ballast.serde.UndecodableRecordException;
import io.ballast.store.RecordStream;
import io.ballast.store.StoredEvent;
import org.apache.avro.specific.SpecificRecord;

/**
 * The archived inputs and recorded decisions of an {@link AuditPass}'s decision classes in an event-time range, read from
 * the store as one stream of records ({@code GET /time/records}) in event-time order, each checked (checksum, position)
 * and decoded from the wire format the job read it in, and handed to the pass as it comes: nothing of the range is held
 * here, so a month is read as a minute is, and several classes cost one pass over the range.
 */
final class ArchiveStream {
    private static final int BATCH = 1024;
    private final StoreClient store;
    private final RegistryClient registry;
    private final AuditPass pass;
    // written on the reader thread; read once its last batch was taken from the queue (which orders the two)
    private final Map<String, Long> undecodable = new HashMap<>();

    /** What the store refused to serve, or a stream that broke off. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    ArchiveStream(StoreClient store, RegistryClient registry, AuditPass pass) {
        this.store = store;
        this.registry = registry;
        this.pass = pass;
    }

    /** Records of the part's types whose bytes are not an event in the wire format (left out). */
    long undecodable(AuditPass.Part part) {
        long n = 0;
        for (Class<?> t : part.types()) {
            n += undecodable.getOrDefault(t.getSimpleName(), 0L);
        }
        return n;
    }

    /**
     * Reads every input and recorded decision of the pass's classes in [from, to) below position {@code below} into the
     * pass. The records are read and decoded on a thread of their own, a batch ahead, while the re-runs run on this one.
     */
    void read(Instant from, Instant to, long below) throws StoreClient.Unreachable, Refused {
        Map<String, EventDecoder<? extends SpecificRecord>> decoders = new HashMap<>();
        for (Class<? extends SpecificRecord> t : pass.types()) {
            decoders.put(t.getSimpleName(), EventDecoder.specific(registry, t));
        }
        String types = decoders.keySet().stream().sorted().collect(Collectors.joining(","));
        InputStream body = store.stream("/time/records?from=" + from + "&to=" + to + "&below=" + below + "&types=" + types);
        BlockingQueue<Batch> batches = new ArrayBlockingQueue<>(8);
        Thread reader = new Thread(() -> decodeAll(body, decoders, batches), "ballast-archive-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            for (Batch batch = take(batches); !batch.events().isEmpty(); batch = take(batches)) {
                batch.events().forEach(pass::accept);
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
            return new ArchivedEvent(e.position(), e.occurredAt(), e.origin() == null ? null
                    : new InputPosition(e.origin().topic(), e.origin().partition(), e.origin().offset()), decoder.decode(e.stream(), -1, e.position(), e.data()));
        } catch (UndecodableRecordException ex) {
            undecodable.merge(e.type(), 1L, Long::sum);
            return null;
        }
    }
}
