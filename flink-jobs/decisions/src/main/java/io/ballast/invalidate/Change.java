package io.ballast.invalidate;

/**
 * A committed change of an entity, as the invalidator needs it.
 *
 * @param occurredAt event time, epoch millis
 */
public record Change(String entity, long version, long occurredAt, String eventId) {
}
