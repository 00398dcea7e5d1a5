package io.ballast.store.replay;

import java.time.Instant;
import java.util.Set;

/**
 * What to replay: the events whose event time is in [from, to), optionally of some types and one subject, below a
 * position of the store's log, re-published to {@code toTopic}, at most {@code ratePerSecond} a second (0: as fast as
 * Kafka takes them).
 *
 * @param types the event types to replay; empty: all
 * @param below only events at positions below this (an audit's signed tree head covers exactly those); Long.MAX_VALUE: all
 */
public record ReplayRequest(Instant from, Instant to, Set<String> types, String subject, String toTopic, double ratePerSecond, long below) {
    /** Events of one type ({@code null}: all), at any position. */
    public ReplayRequest(Instant from, Instant to, String type, String subject, String toTopic, double ratePerSecond) {
        this(from, to, type == null ? Set.of() : Set.of(type), subject, toTopic, ratePerSecond, Long.MAX_VALUE);
    }

    public ReplayRequest {
        types = types == null ? Set.of() : Set.copyOf(types);
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("--from " + from + " must be before --to " + to);
        }
        if (toTopic == null || toTopic.isBlank()) {
            throw new IllegalArgumentException("--to-topic is required: the topic to re-publish to (e.g. ballast.replay.audit-1)");
        }
        if (ratePerSecond < 0) {
            throw new IllegalArgumentException("--rate must not be negative, not " + ratePerSecond);
        }
    }

    /** Where replays write unless the store allows others: topics ingest does not archive again. */
    public static final String REPLAY_PREFIX = "ballast.replay.";

    /**
     * Refuses a target outside {@code ballast.replay.*} unless {@code anyTopic}: a replay into a live topic
     * (ballast.metrics.raw, say) would feed history to the jobs as if it happened now.
     */
    public void requireAllowedTarget(boolean anyTopic) {
        if (!anyTopic && !toTopic.startsWith(REPLAY_PREFIX)) {
            throw new IllegalArgumentException("replays write to " + REPLAY_PREFIX + "* topics, not '" + toTopic + "' (e.g. "
                    + REPLAY_PREFIX + "audit-1); a store started with --replay-to-any-topic allows others");
        }
    }

    /** Whether a stored event of {@code stream} and {@code eventType} at {@code position} is selected (time aside). */
    public boolean selects(String stream, String eventType, long position) {
        if (position >= below || !types.isEmpty() && !types.contains(eventType)) {
            return false;
        }
        return subject == null || stream.endsWith("/" + subject);
    }
}
