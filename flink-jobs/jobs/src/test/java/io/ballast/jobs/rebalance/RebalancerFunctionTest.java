package io.ballast.jobs.rebalance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.ballast.events.RebalancePlan;
import io.ballast.jobs.serde.AvroEventTypeInfo;
import io.ballast.rebalance.Cluster;
import io.ballast.rebalance.ClusterDigest;
import io.ballast.rebalance.InputPosition;
import io.ballast.rebalance.Node;
import io.ballast.rebalance.NodeState;
import io.ballast.rebalance.Plan;
import io.ballast.rebalance.PlanRecords;
import io.ballast.rebalance.Planner;
import io.ballast.rebalance.PlannerSettings;
import io.ballast.rebalance.Replica;
import io.ballast.rebalance.Shard;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rebalancer's keyed function on Flink's operator harness: inputs read after the planning they belonged in. */
class RebalancerFunctionTest {
    private static final String CLUSTER = "c1";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private KeyedOneInputStreamOperatorTestHarness<String, RebalanceInput, RebalancePlan> harness;
    private long offset;

    @BeforeEach
    void open() throws Exception {
        RebalancerFunction function = new RebalancerFunction(PlannerSettings.DEFAULTS, Duration.ofSeconds(30), Duration.ofMinutes(5));
        harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(function), RebalanceInput::cluster, Types.STRING);
        harness.setup(new AvroEventTypeInfo<>(RebalancePlan.class).createSerializer(harness.getExecutionConfig().getSerializerConfig()));
        harness.open();
        harness.setProcessingTime(1_000);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void shardReportsReadAfterAnIdleSourceLetTheWatermarkPassArePlannedAQuietPeriodOfTheClockLater() throws Exception {
        for (String id : List.of("a", "b", "c")) {
            send(new RebalanceInput.NodeInput(CLUSTER, node(id), T0, new InputPosition("ballast.nodes", 0, offset++)));
        }
        send(new RebalanceInput.NodeInput(CLUSTER, node("a"), T0.plusSeconds(120), new InputPosition("ballast.nodes", 0, offset++)));
        harness.processWatermark(T0.plusSeconds(120).toEpochMilli());
        assertEquals(List.of(), harness.extractOutputValues(), "planned at 30 s on nodes alone: nothing to move");

        // the shard reports of 0 s, read only now: their source was idle while the others moved the watermark
        for (Map.Entry<String, String> s : placement().entrySet()) {
            send(new RebalanceInput.ShardInput(CLUSTER, shard(s.getKey(), s.getValue()), T0,
                    new InputPosition("ballast.shards.load", 2, 10 + offset++)));
        }
        assertEquals(1, harness.numProcessingTimeTimers(), "one plan again for the late burst");
        harness.setProcessingTime(1_000 + 29_999);
        assertEquals(List.of(), harness.extractOutputValues());
        harness.setProcessingTime(1_000 + 30_000);

        Cluster model = new Cluster(CLUSTER, List.of(node("a"), node("b"), node("c")),
                placement().entrySet().stream().map(s -> shard(s.getKey(), s.getValue())).toList());
        Plan expected = new Planner().plan(model);
        Instant at = T0.plusSeconds(120);
        // the plan records what it was computed from: the last offset read of each partition, and the model's digest
        List<InputPosition> read = List.of(new InputPosition("ballast.nodes", 0, 3), new InputPosition("ballast.shards.load", 2, 17));
        assertEquals(List.of(PlanRecords.toEvent(expected, PlanRecords.planId(CLUSTER, at), at, RebalancerJob.NAME, read,
                        ClusterDigest.of(model)).toString()),
                harness.extractOutputValues().stream().map(RebalancePlan::toString).toList());
        assertEquals(0, harness.numProcessingTimeTimers());

        harness.processWatermark(T0.plusSeconds(200).toEpochMilli());
        assertEquals(1, harness.extractOutputValues().size(), "planned again at 150 s on the same model: the same plan, not sent twice");
        assertEquals(0, harness.numEventTimeTimers());
    }

    private void send(RebalanceInput input) throws Exception {
        harness.processElement(input, input.at().toEpochMilli());
    }

    private static Map<String, String> placement() {
        return new java.util.TreeMap<>(Map.of("s1", "a", "s2", "a", "s3", "b", "s4", "c"));
    }

    private static Node node(String id) {
        return new Node(id, "r", NodeState.ACTIVE, Map.of("disk", 100.0));
    }

    private static Shard shard(String id, String on) {
        long size = Map.of("s1", 50L, "s2", 40L, "s3", 30L, "s4", 30L).get(id);
        return new Shard(id, new ArrayList<>(List.of(new Replica(on, true))), size, Map.of());
    }
}
