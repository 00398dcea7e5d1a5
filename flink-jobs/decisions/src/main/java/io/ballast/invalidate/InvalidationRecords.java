package io.ballast.invalidate;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.ballast.events.CacheDependency;
import io.ballast.events.CacheInvalidation;
import io.ballast.events.DependencyTarget;
import io.ballast.events.Envelope;
import io.ballast.events.InvalidatedKey;
import io.ballast.events.InvalidatedTag;

/** Invalidations and registrations as the events on ballast.cache.invalidations and ballast.cache.deps. */
public final class InvalidationRecords {
    private InvalidationRecords() {
    }

    /**
     * The event of an invalidation. Its id is derived from what it invalidates, so a redelivered visit gives
     * the same event; its event time is the newest coalesced change's, so latency is measured from the change.
     */
    public static CacheInvalidation toEvent(Invalidation invalidation, String source, Instant recordedAt) {
        String identity = "invalidation|" + invalidation.entity() + "|" + invalidation.version() + "|" + invalidation.keys() + "|"
                + invalidation.tags();
        UUID id = UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8));
        Envelope envelope = Envelope.newBuilder()
                .setEventId(id)
                .setType("CacheInvalidation")
                .setSource(source)
                .setSubject(invalidation.entity())
                .setOccurredAt(Instant.ofEpochMilli(invalidation.occurredAt()))
                .setRecordedAt(recordedAt)
                .setCausationId(invalidation.changeIds().isEmpty() ? null : invalidation.changeIds().get(invalidation.changeIds().size() - 1))
                .build();
        return CacheInvalidation.newBuilder()
                .setEnvelope(envelope)
                .setEntity(invalidation.entity())
                .setVersion(invalidation.version())
                .setKeys(invalidation.keys().stream().map(k -> new InvalidatedKey(k, invalidation.version())).toList())
                .setTags(invalidation.tags().stream().map(t -> new InvalidatedTag(t, invalidation.version())).toList())
                .setChangeEventIds(invalidation.changeIds())
                .build();
    }

    /** The targets of a registration event, as nodes. */
    public static List<Node> targets(CacheDependency dependency) {
        List<Node> targets = new ArrayList<>();
        for (DependencyTarget target : dependency.getDependsOn()) {
            targets.add(new Node(Node.Kind.valueOf(target.getKind().name()), target.getRef()));
        }
        return targets;
    }
}
