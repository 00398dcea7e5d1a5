package io.ballast.rederive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.ballast.events.CacheDependency;
import io.ballast.events.CacheInvalidation;
import io.ballast.events.DependencyKind;
import io.ballast.events.DependencyTarget;
import io.ballast.events.EntityChange;
import io.ballast.events.Envelope;
import io.ballast.events.InvalidatedKey;
import io.ballast.events.InvalidatedTag;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * {@code replay --verify invalidator} on the README's cache walkthrough: investigation:123 depends on
 * entity:456:summary, which depends on entity:456; entity:456 goes to version 7. The recorded invalidations are written
 * here by hand as the job emits them (one per visited node, the entity's own with its type tag first).
 */
class InvalidatorReplayTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final List<ArchivedEvent> inputs = new ArrayList<>();
    private final EntityChange change = EntityChange.newBuilder().setEnvelope(envelope(T0.plusSeconds(10))).setEntity("entity:456")
            .setVersion(7).build();

    InvalidatorReplayTest() {
        inputs.add(archived(dependency("investigation:123", T0, null, target(DependencyKind.KEY, "entity:456:summary"),
                target(DependencyKind.TAG, "investigations"))));
        inputs.add(archived(dependency("entity:456:summary", T0, 3600L, target(DependencyKind.ENTITY, "entity:456"))));
    }

    @Test
    void theClosureOfEveryRecordedChangeIsReDerivedKeyForKey() {
        inputs.add(archived(change));

        List<DecisionReplay.Outcome> outcomes = new InvalidatorReplay().check(inputs, recorded(List.of(), List.of("entity"),
                List.of("entity:456:summary"), List.of("investigation:123")));

        assertEquals(1, outcomes.size(), outcomes::toString);
        assertEquals(true, outcomes.get(0).matched(), outcomes::toString);
        assertEquals("v7: keys [entity:456:summary, investigation:123]; tags [entity]", outcomes.get(0).rederived());
    }

    @Test
    void aKeyTheClosureReachesButNoInvalidationNamedIsADifference() {
        inputs.add(archived(change));

        List<DecisionReplay.Difference> differences = new InvalidatorReplay().compare(inputs, recorded(List.of(), List.of("entity"),
                List.of("entity:456:summary")));

        assertEquals(List.of(new DecisionReplay.Difference("entity:456", T0.plusSeconds(10).toString(),
                "v7: keys [entity:456:summary]; tags [entity]", "v7: keys [entity:456:summary, investigation:123]; tags [entity]")),
                differences);
    }

    @Test
    void aRegistrationPastItsTtlOrWithdrawnIsOutOfTheClosure() {
        // entity:456:summary's registration expires an hour after 0 s; the change comes later
        EntityChange late = EntityChange.newBuilder(change).setEnvelope(envelope(T0.plusSeconds(3601))).build();
        inputs.add(archived(late));

        List<DecisionReplay.Outcome> outcomes = new InvalidatorReplay().check(inputs,
                List.of(archived(invalidation(late, List.of(), List.of("entity")))));

        assertEquals(List.of(true), outcomes.stream().map(DecisionReplay.Outcome::matched).toList(), outcomes::toString);
    }

    @Test
    void aChangeTheJobWouldTakeWithNoInvalidationIsReportedAndAnOlderVersionIsNot() {
        inputs.add(archived(change));
        EntityChange older = EntityChange.newBuilder().setEnvelope(envelope(T0.plusSeconds(11))).setEntity("entity:456").setVersion(6).build();
        inputs.add(archived(older));

        List<DecisionReplay.Difference> differences = new InvalidatorReplay().compare(inputs, List.of());

        assertEquals(List.of(new DecisionReplay.Difference("entity:456", T0.plusSeconds(10).toString(),
                "no invalidation recorded for change " + change.getEnvelope().getEventId(), "v7 invalidates its closure")), differences);
    }

    /** The job's invalidations of {@link #change}, one per visited node: the keys named by each, the first with its tags. */
    @SafeVarargs
    private List<ArchivedEvent> recorded(List<String> firstKeys, List<String> tags, List<String>... otherKeys) {
        List<ArchivedEvent> out = new ArrayList<>();
        out.add(archived(invalidation(change, firstKeys, tags)));
        for (List<String> keys : otherKeys) {
            out.add(archived(invalidation(change, keys, List.of())));
        }
        return out;
    }

    private static CacheInvalidation invalidation(EntityChange c, List<String> keys, List<String> tags) {
        return CacheInvalidation.newBuilder().setEnvelope(envelope(c.getEnvelope().getOccurredAt())).setEntity(c.getEntity())
                .setVersion(c.getVersion())
                .setKeys(keys.stream().map(k -> new InvalidatedKey(k, c.getVersion())).toList())
                .setTags(tags.stream().map(t -> new InvalidatedTag(t, c.getVersion())).toList())
                .setChangeEventIds(List.of(c.getEnvelope().getEventId().toString())).build();
    }

    private static CacheDependency dependency(String key, Instant at, Long ttl, DependencyTarget... targets) {
        return CacheDependency.newBuilder().setEnvelope(envelope(at)).setKey(key).setDependsOn(List.of(targets)).setTtlSeconds(ttl).build();
    }

    private static DependencyTarget target(DependencyKind kind, String ref) {
        return DependencyTarget.newBuilder().setKind(kind).setRef(ref).build();
    }

    private static Envelope envelope(Instant at) {
        return Envelope.newBuilder().setEventId(UUID.randomUUID()).setType("test").setSource("test").setSubject("s")
                .setOccurredAt(at).setRecordedAt(at).build();
    }

    private static ArchivedEvent archived(SpecificRecord event) {
        Envelope envelope = (Envelope) event.get(event.getSchema().getField("envelope").pos());
        return new ArchivedEvent(0, envelope.getOccurredAt(), null, event);
    }
}
