package io.ballast.bench.invalidate;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.ballast.events.CacheDependency;
import io.ballast.events.CacheInvalidation;
import io.ballast.events.DependencyKind;
import io.ballast.events.DependencyTarget;
import io.ballast.events.EntityChange;
import io.ballast.events.Envelope;
import io.ballast.invalidate.DependencyGraph;
import io.ballast.invalidate.Invalidation;
import io.ballast.invalidate.Node;
import io.ballast.invalidate.Registration;
import io.ballast.invalidate.Visit;
import io.ballast.serde.EventSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The invalidator benchmarks' workload: each entity {@code e} has three keys, {@code item:e} (on the entity),
 * {@code pair:e} (on e and e+1) and {@code summary:e} (on the key item:e, one hop more through the feedback topic), so
 * a change invalidates five keys. Changes come one per entity every {@code entities} ms of event time: none coalesce.
 */
public record CacheTrace(int entities) {
    /** The graph's registrations. */
    public List<CacheDependency> registrations(Instant at) {
        List<CacheDependency> deps = new ArrayList<>();
        for (int e = 0; e < entities; e++) {
            deps.add(dependency("item:" + e, at, target(DependencyKind.ENTITY, entity(e))));
            deps.add(dependency("pair:" + e, at, target(DependencyKind.ENTITY, entity(e)),
                    target(DependencyKind.ENTITY, entity((e + 1) % entities))));
            deps.add(dependency("summary:" + e, at, target(DependencyKind.KEY, "item:" + e)));
        }
        return deps;
    }

    /**
     * {@code count} changes from {@code t0}, the i-th of entity {@code i % entities}; versions start above
     * {@code firstVersion - 1} (each entity's versions must rise from one burst to the next).
     */
    public List<EntityChange> changes(int count, long firstVersion, Instant t0) {
        List<EntityChange> trace = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            trace.add(change(i % entities, firstVersion + i / entities, t0.plusMillis(i)));
        }
        return trace;
    }

    /** Version {@code version} of entity {@code e}, changed at {@code at}. */
    public EntityChange change(int e, long version, Instant at) {
        return EntityChange.newBuilder().setEnvelope(envelope(entity(e), "EntityChange", at)).setEntity(entity(e)).setVersion(version).build();
    }

    /** The plain graph with the registrations, one thread: the reference, and the count of invalidations expected. */
    public static DependencyGraph graph(List<CacheDependency> registrations) {
        DependencyGraph graph = new DependencyGraph();
        for (CacheDependency d : registrations) {
            Set<Node> targets = new HashSet<>();
            d.getDependsOn().forEach(t -> targets.add(t.getKind() == DependencyKind.ENTITY ? Node.entity(t.getRef().toString())
                    : t.getKind() == DependencyKind.KEY ? Node.key(t.getRef().toString()) : Node.tag(t.getRef().toString())));
            graph.register(new Registration(d.getKey().toString(), targets, Registration.NEVER));
        }
        return graph;
    }

    /**
     * How many keys and tags the invalidations {@code graph} gives for {@code changes} name, as the job's closure would (one
     * thread): what the job's invalidations name in all, however it combines them into records.
     */
    public static long names(DependencyGraph graph, List<EntityChange> changes) {
        long names = 0;
        for (EntityChange c : changes) {
            String entity = c.getEntity().toString();
            for (Invalidation i : graph.close(new Visit(Node.entity(entity), entity, c.getVersion(),
                    c.getEnvelope().getOccurredAt().toEpochMilli(), List.of(c.getEnvelope().getEventId().toString())))) {
                names += i.names();
            }
        }
        return names;
    }

    /** How many keys and tags an invalidation read from ballast.cache.invalidations names. */
    public static int names(CacheInvalidation invalidation) {
        return invalidation.getKeys().size() + invalidation.getTags().size();
    }

    /** Events as wire-format records keyed by their subject, ready to send. */
    public static List<ProducerRecord<byte[], byte[]>> records(EventSerializer<SpecificRecord> serializer, String topic,
                                                               List<? extends SpecificRecord> events) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(events.size());
        for (SpecificRecord e : events) {
            records.add(new ProducerRecord<>(topic, ((Envelope) e.get(0)).getSubject().getBytes(StandardCharsets.UTF_8),
                    serializer.serialize(topic, e)));
        }
        return records;
    }

    private static String entity(int e) {
        return "item-entity:" + e;
    }

    private static DependencyTarget target(DependencyKind kind, String ref) {
        return DependencyTarget.newBuilder().setKind(kind).setRef(ref).build();
    }

    private static CacheDependency dependency(String key, Instant at, DependencyTarget... targets) {
        return CacheDependency.newBuilder().setEnvelope(envelope(key, "CacheDependency", at)).setKey(key)
                .setDependsOn(List.of(targets)).build();
    }

    private static Envelope envelope(String subject, String type, Instant at) {
        return Envelope.newBuilder().setEventId(UUID.randomUUID()).setType(type).setSource("bench").setSubject(subject)
                .setOccurredAt(at).setRecordedAt(at).build();
    }
}
