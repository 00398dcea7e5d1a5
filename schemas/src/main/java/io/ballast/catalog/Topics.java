package io.ballast.catalog;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import io.ballast.events.Action;
import io.ballast.events.AuditAnchor;
import io.ballast.events.AuditReport;
import io.ballast.events.CacheDependency;
import io.ballast.events.CacheInvalidation;
import io.ballast.events.EntityChange;
import io.ballast.events.LateScalingInput;
import io.ballast.events.MetricSample;
import io.ballast.events.NodeMembership;
import io.ballast.events.RebalancePlan;
import io.ballast.events.ReplicaStatus;
import io.ballast.events.ScalingDecision;
import io.ballast.events.ScalingPolicy;
import io.ballast.events.ShardLoad;
import io.ballast.events.Signal;

/**
 * The topic catalog: every Ballast topic, in one place. {@link TopicInitializer} creates them and
 * reports drift; producers, jobs and the event store take names, keys and schemas from here.
 *
 * <p>Retention: what the event store archives and what a rebuild from Kafka needs (actions, changes,
 * policies, decisions, plans, anchors) is kept forever; high-volume inputs are kept for days, since the
 * event store holds their history.
 */
public final class Topics {
    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration FOREVER = null;

    public static final TopicSpec ACTIONS = avro("ballast.actions", 6, List.of("target"), CleanupPolicy.DELETE, FOREVER,
            Action.class, "What actors did to targets.");
    public static final TopicSpec METRICS_RAW = avro("ballast.metrics.raw", 6, List.of("service"), CleanupPolicy.DELETE, DAY,
            MetricSample.class, "Per-instance metric samples.");
    public static final TopicSpec SIGNALS = avro("ballast.signals", 6, List.of("service"), CleanupPolicy.DELETE, DAY.multipliedBy(7),
            Signal.class, "Windowed aggregates per service and metric.");
    public static final TopicSpec REPLICAS = avro("ballast.replicas", 3, List.of("service"), CleanupPolicy.DELETE, DAY.multipliedBy(7),
            ReplicaStatus.class, "Replica status per service, from the orchestrator.");
    public static final TopicSpec POLICIES = avro("ballast.policies", 3, List.of("service"), CleanupPolicy.COMPACT, FOREVER,
            ScalingPolicy.class, "The current scaling policy per service.");
    public static final TopicSpec CHANGES = avro("ballast.changes", 6, List.of("entity"), CleanupPolicy.DELETE, FOREVER,
            EntityChange.class, "Committed entity changes (CDC).");
    public static final TopicSpec CACHE_DEPS = avro("ballast.cache.deps", 3, List.of("key"), CleanupPolicy.COMPACT, FOREVER,
            CacheDependency.class, "Cache key dependency registrations.");
    public static final TopicSpec SHARDS_LOAD = avro("ballast.shards.load", 3, List.of("cluster"), CleanupPolicy.DELETE, DAY.multipliedBy(3),
            ShardLoad.class, "Shard placement, size and load.");
    public static final TopicSpec NODES = avro("ballast.nodes", 3, List.of("cluster", "node"), CleanupPolicy.COMPACT, FOREVER,
            NodeMembership.class, "Cluster membership and node capacity.");
    public static final TopicSpec DECISIONS_SCALING = avro("ballast.decisions.scaling", 3, List.of("service"), CleanupPolicy.DELETE, FOREVER,
            ScalingDecision.class, "Autoscaling decisions with their explanations.");
    public static final TopicSpec DECISIONS_SCALING_LATE = avro("ballast.decisions.scaling.late", 3, List.of("service"), CleanupPolicy.DELETE,
            FOREVER, LateScalingInput.class, "Autoscaler inputs read after their evaluation, and the evaluation that took each.");
    public static final TopicSpec CACHE_INVALIDATIONS = avro("ballast.cache.invalidations", 6, List.of("entity"), CleanupPolicy.DELETE, DAY,
            CacheInvalidation.class, "Version-fenced cache invalidations.");
    public static final TopicSpec PLANS_REBALANCE = avro("ballast.plans.rebalance", 3, List.of("cluster"), CleanupPolicy.DELETE, FOREVER,
            RebalancePlan.class, "Shard rebalancing plans.");
    public static final TopicSpec AUDIT_REPORTS = avro("ballast.audit.reports", 1, List.of("job"), CleanupPolicy.DELETE, FOREVER,
            AuditReport.class, "Results of re-running decision jobs over history.");
    public static final TopicSpec AUDIT_ANCHORS = avro("ballast.audit.anchors", 1, List.of("storeId"), CleanupPolicy.DELETE, FOREVER,
            AuditAnchor.class, "Signed Merkle tree heads of the event store.");
    /**
     * The cache invalidator's closure feedback: visits of graph nodes, keyed by node, so that a closure
     * crosses the job's parallel instances. Internal to the job (its own binary format), never archived.
     */
    public static final TopicSpec INVALIDATOR_CLOSURE = new TopicSpec("ballast.internal.invalidator.closure", 6, List.of("node"),
            CleanupPolicy.DELETE, DAY, TopicSpec.DEFAULT_MAX_MESSAGE_BYTES, new ValueFormat.Raw("closure visits (VisitCodec)"),
            "Internal: the invalidator's closure steps between parallel instances.");
    /** Records that could not be used, byte for byte, with the reason in {@code ballast.dlq.*} headers. */
    public static final TopicSpec DLQ = new TopicSpec("ballast.dlq", 3, List.of(), CleanupPolicy.DELETE, DAY.multipliedBy(14),
            // a dead letter carries the refused record plus the headers that say why
            4 * 1024 * 1024, new ValueFormat.Raw("the original record's bytes"), "Dead letters.");

    private static final List<TopicSpec> ALL = List.of(ACTIONS, METRICS_RAW, SIGNALS, REPLICAS, POLICIES, CHANGES, CACHE_DEPS,
            SHARDS_LOAD, NODES, DECISIONS_SCALING, DECISIONS_SCALING_LATE, CACHE_INVALIDATIONS, PLANS_REBALANCE, AUDIT_REPORTS, AUDIT_ANCHORS, INVALIDATOR_CLOSURE, DLQ);

    private Topics() {
    }

    /** Every topic of the catalog. */
    public static List<TopicSpec> all() {
        return ALL;
    }

    /** The catalog's topic of that name, if there is one. */
    public static Optional<TopicSpec> find(String name) {
        return ALL.stream().filter(spec -> spec.name().equals(name)).findFirst();
    }

    /** The catalog's topic of that name; an unknown name is refused with the list of known ones. */
    public static TopicSpec require(String name) {
        return find(name).orElseThrow(() -> new UnknownTopicException(name,
                ALL.stream().map(TopicSpec::name).collect(Collectors.joining(", "))));
    }

    private static TopicSpec avro(String name, int partitions, List<String> keyFields, CleanupPolicy cleanup, Duration retention,
                                  Class<? extends org.apache.avro.specific.SpecificRecord> type, String description) {
        return new TopicSpec(name, partitions, keyFields, cleanup, retention, TopicSpec.DEFAULT_MAX_MESSAGE_BYTES,
                new ValueFormat.Avro(type), description);
    }
}
