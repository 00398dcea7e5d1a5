package io.ballast.cli;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

import io.ballast.registry.RegistryClient;
import io.ballast.serde.EventDecoder;
import io.ballast.serde.UndecodableRecordException;
import io.ballast.store.RecordStream;
import io.ballast.store.StoredEvent;
import org.apache.avro.specific.SpecificRecord;

/**
 * The archived inputs and recorded decisions of one decision class in an event-time range, read from the store as one
 * stream of records ({@code GET /time/records}) in event-time order, each checked (checksum, position) and decoded from
 * the wire format the job read it in, and handed to a re-run as it comes: nothing of the range is held here, so a month
 * is read as a minute is. Counts what it read, for the reports.
 */
final class ArchiveStream {
    private final StoreClient store;
    private final RegistryClient registry;
    private long inputs;
    private long fromPosition = -1;
    private long toPosition = -1;
    private long decisions;
    private long notFromKafka;

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

    ArchiveStream(StoreClient store, RegistryClient registry) {
        this.store = store;
        this.registry = registry;
    }

    /** Reads every input and recorded decision of {@code replay} in [from, to) below position {@code below} into {@code run}. */
    void read(DecisionReplay replay, Instant from, Instant to, long below, DecisionReplay.Run run)
            throws StoreClient.Unreachable, Refused {
        Map<String, EventDecoder<? extends SpecificRecord>> decoders = new HashMap<>();
        replay.inputTypes().forEach(t -> decoders.put(t.getSimpleName(), EventDecoder.specific(registry, t)));
        String decisionType = replay.decisionType().getSimpleName();
        decoders.put(decisionType, EventDecoder.specific(registry, replay.decisionType()));
        String types = decoders.keySet().stream().sorted().collect(Collectors.joining(","));
        try (InputStream body = store.stream("/time/records?from=" + from + "&to=" + to + "&below=" + below + "&types=" + types);
             RecordStream.Reader records = new RecordStream.Reader(body)) {
            for (StoredEvent e = records.next(); e != null; e = records.next()) {
                ArchivedEvent archived = decode(e, decoders.get(e.type()));
                if (archived == null) {
                    continue;
                }
                if (e.type().equals(decisionType)) {
                    decisions++;
                    run.recorded(archived);
                } else {
                    inputs++;
                    fromPosition = fromPosition < 0 ? e.position() : Math.min(fromPosition, e.position());
                    toPosition = Math.max(toPosition, e.position());
                    run.input(archived);
                }
            }
        } catch (IOException | io.ballast.store.CorruptRecordException e) {
            throw new Refused("reading the archive from the event store failed: " + e.getMessage());
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
            notFromKafka++;
            return null;
        }
    }

    Span span() {
        return new Span(inputs, fromPosition, toPosition);
    }

    long decisions() {
        return decisions;
    }

    /** Records of the decision class's types whose bytes are not an event in the wire format (left out). */
    long undecodable() {
        return notFromKafka;
    }
}
