package io.ballast.jobs.rebalance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

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
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rebalancer's keyed function on Flink's operator harness: inputs read after the planning they belonged in. */
class RebalancerFunctionTest {
    private static final String CLUSTER = "c1";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    /** Holds the planning thread of a test until it opens: a plan stays under way as long as the test needs. */
    private static volatile CountDownLatch gate = new CountDownLatch(0);
    private static final PlanningThreads GATED = name -> Executors.newSingleThreadExecutor(task -> new Thread(() -> {
        try {
            gate.await();
        } catch (InterruptedException e) {
            return;
        }
        task.run();
    }, name));

    /** Plans on the operator thread itself: a plan is made before its submit returns, the worst case for the poll. */
    private static final PlanningThreads AT_ONCE = name -> new AbstractExecutorService() {
        private volatile boolean shutdown;

        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    };

    private KeyedOneInputStreamOperatorTestHarness<String, RebalanceInput, RebalancePlan> harness;
    private RebalancerFunction function;
    private long offset;

    @BeforeEach
    void open() throws Exception {
        harness = harness(PlanningThreads.ONE, null);
    }

    private KeyedOneInputStreamOperatorTestHarness<String, RebalanceInput, RebalancePlan> harness(PlanningThreads threads,
            OperatorSubtaskState restored) throws Exception {
        function = new RebalancerFunction(PlannerSettings.DEFAULTS, Duration.ofSeconds(30), Duration.ofMinutes(5), threads);
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(function), RebalanceInput::cluster, Types.STRING);
        h.setup(new AvroEventTypeInfo<>(RebalancePlan.class).createSerializer(h.getExecutionConfig().getSerializerConfig()));
        if (restored != null) {
            h.initializeState(restored);
        }
        h.open();
        h.setProcessingTime(1_000);
        return h;
    }

    /** Waits for the plans under way, then lets the operator thread's next poll pick them up. */
    private void planned() throws Exception {
        function.awaitPlanning();
        harness.setProcessingTime(harness.getProcessingTime() + RebalancerFunction.POLL_MILLIS);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void shardReportsReadAfterAnIdleSourceLetTheWatermarkPassArePlannedAQuietPeriodOfTheClockLater() throws Exception {
        // a plan made at once is still emitted only at the poll after the timer that asked for it
        harness.close();
        harness = harness(AT_ONCE, null);
        for (String id : List.of("a", "b", "c")) {
            send(new RebalanceInput.NodeInput(CLUSTER, node(id), T0, new InputPosition("ballast.nodes", 0, offset++)));
        }
        send(new RebalanceInput.NodeInput(CLUSTER, node("a"), T0.plusSeconds(120), new InputPosition("ballast.nodes", 0, offset++)));
        harness.processWatermark(T0.plusSeconds(120).toEpochMilli());
        planned();
        assertEquals(List.of(), harness.extractOutputValues(), "planned at 30 s on nodes alone: nothing to move");
        long now = harness.getProcessingTime();

        // the shard reports of 0 s, read only now: their source was idle while the others moved the watermark
        for (Map.Entry<String, String> s : placement().entrySet()) {
            send(new RebalanceInput.ShardInput(CLUSTER, shard(s.getKey(), s.getValue()), T0,
                    new InputPosition("ballast.shards.load", 2, 10 + offset++)));
        }
        assertEquals(1, harness.numProcessingTimeTimers(), "one plan again for the late burst");
        harness.setProcessingTime(now + 29_999);
        assertEquals(List.of(), harness.extractOutputValues());
        harness.setProcessingTime(now + 30_000);
        assertEquals(List.of(), harness.extractOutputValues(), "made, and picked up at the next poll");
        planned();

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
        planned();
        assertEquals(1, harness.extractOutputValues().size(), "planned again at 150 s on the same model: the same plan, not sent twice");
        assertEquals(0, harness.numEventTimeTimers());
    }

    @Test
    void aCheckpointTakenWhileAPlanIsUnderWayDoesNotWaitForItAndTheRestoredSubtaskMakesThatPlanOnce() throws Exception {
        harness.close();
        gate = new CountDownLatch(1);
        harness = harness(GATED, null);
        Cluster model = sendCluster();
        harness.processWatermark(T0.plusSeconds(120).toEpochMilli());
        harness.setProcessingTime(harness.getProcessingTime() + 10 * RebalancerFunction.POLL_MILLIS);

        // the planning thread is held: the operator thread still takes records, polls and checkpoints
        send(new RebalanceInput.NodeInput(CLUSTER, node("b"), T0.plusSeconds(121), new InputPosition("ballast.nodes", 0, offset++)));
        OperatorSubtaskState checkpoint = harness.snapshot(1, harness.getProcessingTime());
        assertEquals(List.of(), harness.extractOutputValues());
        assertEquals(1, harness.numProcessingTimeTimers(), "the next poll");
        harness.close();
        gate.countDown();

        harness = harness(PlanningThreads.ONE, checkpoint);
        harness.setProcessingTime(1_000 + RebalancerFunction.POLL_MILLIS * 11);
        planned();
        Instant at = T0.plusSeconds(30);
        List<InputPosition> read = List.of(new InputPosition("ballast.nodes", 0, 7), new InputPosition("ballast.shards.load", 2, 6));
        assertEquals(List.of(PlanRecords.toEvent(new Planner().plan(model), PlanRecords.planId(CLUSTER, at), at, RebalancerJob.NAME, read,
                        ClusterDigest.of(model)).toString()),
                harness.extractOutputValues().stream().map(RebalancePlan::toString).toList(),
                "planned again after the restore, on the model of the checkpoint (the node report read after the plan was due included)");
        assertEquals(0, harness.numProcessingTimeTimers());
        assertEquals(1, harness.numEventTimeTimers(), "the node report of 121 s: planned a quiet period later");
    }

    @Test
    void aPlanDueWhileAnotherOfTheClusterIsUnderWayIsMadeAfterItOnTheModelAsItIsThen() throws Exception {
        harness.close();
        gate = new CountDownLatch(1);
        harness = harness(GATED, null);
        Cluster first = sendCluster();
        harness.processWatermark(T0.plusSeconds(120).toEpochMilli());
        Node bigger = new Node("c", "r", NodeState.ACTIVE, Map.of("disk", 400.0));
        send(new RebalanceInput.NodeInput(CLUSTER, bigger, T0.plusSeconds(121), new InputPosition("ballast.nodes", 0, offset++)));
        harness.processWatermark(T0.plusSeconds(200).toEpochMilli());
        assertEquals(0, harness.numEventTimeTimers(), "due at 151 s, and waiting for the plan under way");
        gate.countDown();

        planned();
        planned();
        Cluster second = new Cluster(CLUSTER, List.of(node("a"), node("b"), bigger), first.shards());
        Instant at1 = T0.plusSeconds(30);
        Instant at2 = T0.plusSeconds(151);
        assertEquals(List.of(
                        PlanRecords.toEvent(new Planner().plan(first), PlanRecords.planId(CLUSTER, at1), at1, RebalancerJob.NAME,
                                List.of(new InputPosition("ballast.nodes", 0, 2), new InputPosition("ballast.shards.load", 2, 6)),
                                ClusterDigest.of(first)).toString(),
                        PlanRecords.toEvent(new Planner().plan(second), PlanRecords.planId(CLUSTER, at2), at2, RebalancerJob.NAME,
                                List.of(new InputPosition("ballast.nodes", 0, 7), new InputPosition("ballast.shards.load", 2, 6)),
                                ClusterDigest.of(second)).toString()),
                harness.extractOutputValues().stream().map(RebalancePlan::toString).toList());
        assertEquals(0, harness.numProcessingTimeTimers());
    }

    /** Three nodes and the shards of {@link #placement()}, all at T0; returns the model they make. */
    private Cluster sendCluster() throws Exception {
        for (String id : List.of("a", "b", "c")) {
            send(new RebalanceInput.NodeInput(CLUSTER, node(id), T0, new InputPosition("ballast.nodes", 0, offset++)));
        }
        for (Map.Entry<String, String> s : placement().entrySet()) {
            send(new RebalanceInput.ShardInput(CLUSTER, shard(s.getKey(), s.getValue()), T0,
                    new InputPosition("ballast.shards.load", 2, offset++)));
        }
        return new Cluster(CLUSTER, List.of(node("a"), node("b"), node("c")),
                placement().entrySet().stream().map(s -> shard(s.getKey(), s.getValue())).toList());
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
