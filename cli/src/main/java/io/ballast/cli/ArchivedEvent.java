package io.ballast.cli;

import java.time.Instant;

import io.ballast.store.Origin;
import org.apache.avro.specific.SpecificRecord;

/**
 * An archived event as an audit re-runs it: its place in the store's log, its event time, where the store's ingest read
 * it (null: not read from Kafka), and the event.
 */
record ArchivedEvent(long position, Instant occurredAt, Origin origin, SpecificRecord event) {
}
