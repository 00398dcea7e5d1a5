package io.ballast.rederive;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.ballast.events.Envelope;
import io.ballast.events.NodeMembership;
import io.ballast.events.RebalancePlan;
import io.ballast.events.ShardLoad;
import io.ballast.events.ShardReplica;
import io.ballast.rebalance.Cluster;
import io.ballast.rebalance.ClusterDigest;
import io.ballast.rebalance.InputPosition;
import io.ballast.rebalance.Node;
import io.ballast.rebalance.NodeState;
import io.ballast.rebalance.PlanRecords;
import io.ballast.rebalance.Planner;
import io.ballast.rebalance.Replica;
import io.ballast.rebalance.Shard;
import org.apache.avro.specific.SpecificRecord;

/** A small cluster's archived reports and plans, for the rebalancer's audit tests here and the CLI's (through the test jar). */
public final class RebalanceArchiveFixture {
    public static final String CLUSTER = "c1";
    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    public static final Map<String, String> PLACEMENT = new java.util.TreeMap<>(Map.of("s1", "a", "s2", "a", "s3", "b", "s4", "c"));
    private static final Map<String, Long> SIZES = Map.of("s1", 50L, "s2", 40L, "s3", 30L, "s4", 30L);

    private RebalanceArchiveFixture() {
    }

    /** Three nodes, then s1, s2, a shard the job dead-lettered (negative size), s3, s4, each with where it was read, in that order. */
    public static Map<SpecificRecord, InputPosition> reportEvents() {
        Map<SpecificRecord, InputPosition> events = new java.util.LinkedHashMap<>();
        long offset = 0;
        for (String node : List.of("a", "b", "c")) {
            events.put(NodeMembership.newBuilder().setEnvelope(envelope("NodeMembership")).setCluster(CLUSTER).setNode(node)
                    .setRack("r").setState(io.ballast.events.NodeState.ACTIVE).setCapacity(Map.of("disk", 100.0)).build(),
                    new InputPosition("ballast.nodes", 0, offset++));
        }
        offset = 0;
        for (String shard : List.of("s1", "s2", "bad", "s3", "s4")) {
            events.put(ShardLoad.newBuilder().setEnvelope(envelope("ShardLoad")).setCluster(CLUSTER).setShard(shard)
                    .setReplicas(List.of(ShardReplica.newBuilder().setNode(shard.equals("bad") ? "a" : PLACEMENT.get(shard)).setLeader(true)
                            .build())).setSizeBytes(shard.equals("bad") ? -5 : SIZES.get(shard)).build(),
                    new InputPosition("ballast.shards.load", 1, offset++));
        }
        return events;
    }

    /** The three nodes with the shards placed as {@code placement} says. */
    public static Cluster cluster(Map<String, String> placement) {
        List<Node> nodes = List.of("a", "b", "c").stream().map(id -> new Node(id, "r", NodeState.ACTIVE, Map.of("disk", 100.0))).toList();
        List<Shard> shards = new ArrayList<>();
        placement.forEach((id, on) -> shards.add(new Shard(id, List.of(new Replica(on, true)), SIZES.get(id), Map.of())));
        return new Cluster(CLUSTER, nodes, shards);
    }

    /** The plan the planner makes of {@code cluster}, as the job records it at {@code at} having read up to {@code read}. */
    public static RebalancePlan plan(Cluster cluster, Instant at, List<InputPosition> read) {
        return PlanRecords.toEvent(new Planner().plan(cluster), PlanRecords.planId(CLUSTER, at), at, "ballast-rebalancer", read,
                ClusterDigest.of(cluster));
    }

    private static Envelope envelope(String type) {
        return Envelope.newBuilder().setEventId(UUID.randomUUID()).setType(type).setSource("test").setSubject(CLUSTER)
                .setOccurredAt(T0).setRecordedAt(T0).build();
    }
}
