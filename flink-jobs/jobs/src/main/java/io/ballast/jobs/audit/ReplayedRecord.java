package io.ballast.jobs.audit;

/**
 * One archived event as a replay re-published it: its place in the store's log, its type and event time, where the
 * store's ingest read it (topic null: not read from Kafka), and its bytes in the wire format.
 */
public record ReplayedRecord(long position, String type, long occurredAt, String originTopic, int originPartition, long originOffset,
                             byte[] data) {
}
