package io.ballast.rederive;

import static io.ballast.rederive.RebalanceArchiveFixture.CLUSTER;
import static io.ballast.rederive.RebalanceArchiveFixture.PLACEMENT;
import static io.ballast.rederive.RebalanceArchiveFixture.T0;
import static io.ballast.rederive.RebalanceArchiveFixture.cluster;
import static io.ballast.rederive.RebalanceArchiveFixture.plan;
import static io.ballast.rederive.RebalanceArchiveFixture.reportEvents;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.ballast.events.Envelope;
import io.ballast.events.NodeMembership;
import io.ballast.events.RebalancePlan;
import io.ballast.events.ShardLoad;
import io.ballast.events.ShardMove;
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
import io.ballast.rebalance.InputPosition;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * {@code replay --verify rebalancer} on archived reports as the store serves them (with the topic, partition and offset
 * they were read at), against plans made by the planner on clusters built here from the same reports by hand.
 */
class RebalancerReplayTest {

    private final List<ArchivedEvent> archive = new ArrayList<>();

    @Test
    void aPlanMadeOnTheRecordsUpToItsOffsetsIsReDerivedExactly() {
        reports();
        RebalancePlan recorded = plan(cluster(PLACEMENT), T0.plusSeconds(30), List.of(new InputPosition("ballast.nodes", 0, 2),
                new InputPosition("ballast.shards.load", 1, 4)));

        assertEquals(List.of(), new RebalancerReplay().compare(archive, List.of(archived(recorded))));
    }

    @Test
    void aPlanMadeBeforeSomeShardsWereReadIsReDerivedFromTheOnesItRead() {
        reports();
        // the job had read s1 and s2 only (offsets 0 and 1) when it planned: a plan of the event-time view would have all four
        Map<String, String> read = new java.util.TreeMap<>(Map.of("s1", "a", "s2", "a"));
        RebalancePlan recorded = plan(cluster(read), T0.plusSeconds(30), List.of(new InputPosition("ballast.nodes", 0, 2),
                new InputPosition("ballast.shards.load", 1, 1)));

        assertEquals(List.of(), new RebalancerReplay().compare(archive, List.of(archived(recorded))));
        RebalancePlan withoutOffsets = RebalancePlan.newBuilder(recorded).setInputPositions(List.of()).setModelDigest(null).build();
        List<DecisionReplay.Difference> byTime = new RebalancerReplay().compare(archive, List.of(archived(withoutOffsets)));
        assertEquals(1, byTime.size(), "rebuilt from every report up to its time, the model has four shards");
        assertEquals(true, byTime.get(0).rederived().endsWith("(the plan records no offsets: rebuilt from the reports up to its time)"),
                byTime.get(0).rederived());
    }

    @Test
    void aPlanTheJobDidNotMakeIsReportedWithBothExplanations() {
        reports();
        RebalancePlan made = plan(cluster(PLACEMENT), T0.plusSeconds(30), List.of(new InputPosition("ballast.nodes", 0, 2),
                new InputPosition("ballast.shards.load", 1, 4)));
        RebalancePlan forged = RebalancePlan.newBuilder(made).setMoves(List.of(ShardMove.newBuilder().setShard("s1").setFromNode("a")
                .setToNode("c").setBytes(50).setPhase(1).setReason("forged").build())).build();

        List<DecisionReplay.Difference> differences = new RebalancerReplay().compare(archive, List.of(archived(forged)));

        assertEquals(List.of(new DecisionReplay.Difference(CLUSTER, T0.plusSeconds(30).toString(),
                "PLANNED (OVER_CAPACITY): 1 move(s); s1 a->c", RebalancerReplay.explain(made))), differences);
        assertEquals("PLANNED (OVER_CAPACITY): 2 move(s); s2 a->b; s3 b->c", RebalancerReplay.explain(made));
    }

    @Test
    void aPlanWhoseModelIsNotTheArchivesIsReportedAsSuch() {
        reports();
        RebalancePlan recorded = RebalancePlan.newBuilder(plan(cluster(PLACEMENT), T0.plusSeconds(30), List.of(
                new InputPosition("ballast.nodes", 0, 2), new InputPosition("ballast.shards.load", 1, 4)))).setModelDigest("00".repeat(32)).build();

        List<DecisionReplay.Difference> differences = new RebalancerReplay().compare(archive, List.of(archived(recorded)));

        assertEquals(1, differences.size());
        assertEquals(true, differences.get(0).rederived().endsWith("the archive up to the plan's offsets is not the model it planned on)"),
                differences.get(0).rederived());
    }

    /** Three nodes, then s1, s2, a shard the job dead-lettered (negative size), s3, s4; each with where it was read. */
    private void reports() {
        reportEvents().forEach((event, origin) -> archive.add(archived(event, origin)));
    }

    /** An event as the store streams it, decoded, read from {@code origin}. */
    private static ArchivedEvent archived(SpecificRecord event, InputPosition origin) {
        Envelope envelope = (Envelope) event.get(event.getSchema().getField("envelope").pos());
        return new ArchivedEvent(0, envelope.getOccurredAt(), new InputPosition(origin.topic(), origin.partition(), origin.offset()), event);
    }

    private static ArchivedEvent archived(SpecificRecord event) {
        Envelope envelope = (Envelope) event.get(event.getSchema().getField("envelope").pos());
        return new ArchivedEvent(0, envelope.getOccurredAt(), null, event);
    }
}
