package io.ballast.rederive;

import java.time.Instant;

import io.ballast.rebalance.InputPosition;
import org.apache.avro.specific.SpecificRecord;

/**
 * An archived event as an audit re-runs it: its place in the store's log, its event time, where the store's ingest read
 * it (null: not read from Kafka), and the event.
 */
public record ArchivedEvent(long position, Instant occurredAt, InputPosition origin, SpecificRecord event) {
}
