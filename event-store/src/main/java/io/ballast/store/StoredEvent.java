package io.ballast.store;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * An event as the store holds it.
 *
 * @param position   its place in the global log (and its Merkle leaf index), from 0
 * @param version    its place in its stream, from 0
 * @param recordedAt when the store appended it
 */
public record StoredEvent(long position, String stream, long version, UUID eventId, String type, Instant occurredAt,
                          Instant recordedAt, byte[] data, Map<String, byte[]> headers, Origin origin) {
}
