package io.ballast.catalog;

/**
 * The headers a replay of the event store adds to each record it re-publishes (beside the event's own): what the store's
 * replay writes and what the audit job reads.
 */
public final class ReplayHeaders {
    /** The replay's id. */
    public static final String REPLAY_ID = "ballast.replay.id";
    /** The event's position in the store's log. */
    public static final String POSITION = "ballast.replay.position";
    /** The event's type as the store keeps it (e.g. MetricSample). */
    public static final String TYPE = "ballast.replay.type";
    /** Where the store's ingest read the event: topic, partition, offset (absent: not read from Kafka). */
    public static final String SOURCE_TOPIC = "ballast.replay.source-topic";
    public static final String SOURCE_PARTITION = "ballast.replay.source-partition";
    public static final String SOURCE_OFFSET = "ballast.replay.source-offset";

    private ReplayHeaders() {
    }
}
