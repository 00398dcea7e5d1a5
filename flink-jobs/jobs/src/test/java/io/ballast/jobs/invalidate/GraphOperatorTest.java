package io.ballast.jobs.invalidate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

import io.ballast.invalidate.EdgeChange;
import io.ballast.invalidate.Invalidation;
import io.ballast.invalidate.Node;
import io.ballast.invalidate.Visit;
import io.ballast.jobs.state.JsonStateTypeInfo;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * A node's visits go on to exactly its registered dependents, as edges come and go, and after a restore; those
 * of nodes the instance owns are taken at once, those of nodes another instance owns go to the feedback topic.
 */
class GraphOperatorTest {
    private static final int MAX_PARALLELISM = 128;
    private static final Node ORDER = Node.entity("order:7");

    private static KeyedOneInputStreamOperatorTestHarness<String, GraphInput, Invalidation> harness(int parallelism,
            OperatorSubtaskState restored) throws Exception {
        return harness(parallelism, restored, new GraphOperator(Duration.ofHours(1)));
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, GraphInput, Invalidation> harness(int parallelism,
            OperatorSubtaskState restored, GraphOperator operator) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(operator, GraphInput::node, Types.STRING,
                MAX_PARALLELISM, parallelism, 0);
        h.setup(new JsonStateTypeInfo<>(Invalidation.class).createSerializer(h.getExecutionConfig().getSerializerConfig()));
        if (restored != null) {
            h.initializeState(restored);
        }
        h.open();
        return h;
    }

    /** What one visit of {@code node} gives: the invalidations, in order, then the visits sent to the feedback topic. */
    private static List<String> visit(KeyedOneInputStreamOperatorTestHarness<String, GraphInput, Invalidation> h, Node node,
                                      long version) throws Exception {
        h.getOutput().clear();
        if (h.getSideOutput(GraphOperator.NEXT) != null) {
            h.getSideOutput(GraphOperator.NEXT).clear();
        }
        h.processElement(GraphInput.of(new Visit(node, node.ref(), version, 1_000L * version, List.of("change-" + version))), 0);
        List<String> given = new ArrayList<>();
        for (Invalidation i : h.extractOutputValues()) {
            given.add(i.entity() + " v" + i.version() + " keys " + i.keys() + " tags " + i.tags());
        }
        if (h.getSideOutput(GraphOperator.NEXT) != null) {
            h.getSideOutput(GraphOperator.NEXT).forEach(r -> given.add("next " + r.getValue().node().id() + " v" + r.getValue().version()));
        }
        return given;
    }

    private static void edge(KeyedOneInputStreamOperatorTestHarness<String, GraphInput, Invalidation> h, Node target, String dependent,
                             boolean added) throws Exception {
        h.processElement(GraphInput.of(new EdgeChange(target, dependent, added)), 0);
    }

    private static int owner(Node node, int parallelism) {
        return KeyGroupRangeAssignment.assignKeyToParallelOperator(node.id(), MAX_PARALLELISM, parallelism);
    }

    private static String firstOwnedBy(int subtask, IntFunction<Node> candidates, String... not) {
        return IntStream.range(0, 1_000).mapToObj(candidates).filter(n -> owner(n, 2) == subtask)
                .map(Node::ref).filter(ref -> !List.of(not).contains(ref)).findFirst().orElseThrow();
    }

    @Test
    void visitsFollowTheEdgesAsTheyChangeAndAfterARestoreAllTakenAtOnceByTheOnlyInstance() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(1, null)) {
            edge(h, ORDER, "order-page:7", true);
            edge(h, ORDER, "order-total:7", true);
            assertEquals(List.of("order:7 v1 keys [order-page:7, order-total:7] tags [order]"), visit(h, ORDER, 1));
            // the node's dependents were read once and kept: an edge change must reach what the next visit sees
            edge(h, ORDER, "order-page:7", false);
            assertEquals(List.of("order:7 v2 keys [order-total:7] tags [order]"), visit(h, ORDER, 2));
            edge(h, ORDER, "order-badge:7", true);
            edge(h, Node.key("order-badge:7"), "order-summary:7", true);
            assertEquals(List.of("order:7 v3 keys [order-badge:7, order-total:7, order-summary:7] tags [order]"), visit(h, ORDER, 3));
            assertEquals(List.of(), visit(h, ORDER, 3), "a visit of a version already visited stops");
            // as the task does before a checkpoint's barrier: the visited versions are written to the state then
            h.prepareSnapshotPreBarrier(1);
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness(1, snapshot)) {
            assertEquals(List.of(), visit(h, ORDER, 3), "the visited versions are restored");
            assertEquals(List.of("order:7 v4 keys [order-badge:7, order-total:7, order-summary:7] tags [order]"), visit(h, ORDER, 4));
        }
    }

    @Test
    void visitedVersionsPastTheBoundAreWrittenToTheStateBeforeAnyBarrier() throws Exception {
        // a snapshot without the barrier's write holds only what was written early: with the usual bound nothing,
        // with a bound of 2 the four versions the closure below took
        assertEquals(List.of("order:7 v1 keys [a, b, c] tags [order]"), visitAgainAfterASnapshotWithoutABarrier(new GraphOperator(Duration.ofHours(1))));
        assertEquals(List.of(), visitAgainAfterASnapshotWithoutABarrier(new GraphOperator(Duration.ofHours(1), 2)));
    }

    private static List<String> visitAgainAfterASnapshotWithoutABarrier(GraphOperator operator) throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(1, null, operator)) {
            for (String key : List.of("a", "b", "c")) {
                edge(h, ORDER, key, true);
            }
            assertEquals(List.of("order:7 v1 keys [a, b, c] tags [order]"), visit(h, ORDER, 1));
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness(1, snapshot)) {
            return visit(h, ORDER, 1);
        }
    }

    @Test
    void aCycleOfNodesTakenAtOnceNamesEachKeyOnce() throws Exception {
        try (var h = harness(1, null)) {
            edge(h, ORDER, "a", true);
            edge(h, Node.key("a"), "b", true);
            edge(h, Node.key("b"), "a", true);
            assertEquals(List.of("order:7 v1 keys [a, b] tags [order]"), visit(h, ORDER, 1));
        }
    }

    @Test
    void visitsOfNodesAnotherInstanceOwnsGoToTheFeedbackTopicTheOthersAreTakenAtOnce() throws Exception {
        // subtask 0 of 2: an entity, its type tag and a chain of two keys it owns, and one key subtask 1 owns
        String type = firstOwnedBy(1, i -> Node.tag("type" + i));
        Node entity = Node.entity(firstOwnedBy(0, i -> Node.entity(type + ":" + i)));
        String here = firstOwnedBy(0, i -> Node.key("here" + i));
        String chained = firstOwnedBy(0, i -> Node.key("here" + i), here);
        String there = firstOwnedBy(1, i -> Node.key("there" + i));
        assertEquals(0, owner(entity, 2));
        assertNotEquals(0, owner(Node.key(there), 2));
        try (var h = harness(2, null)) {
            edge(h, entity, here, true);
            edge(h, entity, there, true);
            edge(h, Node.key(here), chained, true);
            String e = entity.ref();
            assertEquals(List.of(e + " v1 keys [" + here + ", " + chained + "] tags [" + type + "]", "next K|" + there + " v1", "next T|" + type + " v1"),
                    visit(h, entity, 1));
        }
    }

    @Test
    void aClosureNamingMoreThanTheBoundComesAsSeveralInvalidations() throws Exception {
        try (var h = harness(1, null)) {
            List<String> keys = IntStream.range(0, GraphOperator.MAX_NAMES_PER_INVALIDATION).mapToObj(i -> String.format("k%04d", i)).toList();
            for (String key : keys) {
                edge(h, ORDER, key, true);
            }
            assertEquals(List.of("order:7 v1 keys " + keys.subList(0, keys.size() - 1) + " tags [order]",
                    "order:7 v1 keys " + keys.subList(keys.size() - 1, keys.size()) + " tags []"), visit(h, ORDER, 1));
        }
    }

    @Test
    void aCheckpointOfTheKeyedProcessFunctionVersionRestoresAndCheckpointsAgain() throws Exception {
        // the graph was a KeyedProcessFunction until 2026-12-07: its operator had a timer service ("user-timers", empty)
        // and the same uid and states; `up` resumes the job from its last checkpoint after an upgrade
        var before = new KeyedProcessFunction<String, GraphInput, Invalidation>() {
            private transient MapState<String, Boolean> dependents;

            @Override
            public void open(OpenContext context) {
                dependents = getRuntimeContext().getMapState(new MapStateDescriptor<>("dependents", Types.STRING, Types.BOOLEAN));
            }

            @Override
            public void processElement(GraphInput input, Context ctx, Collector<Invalidation> out) throws Exception {
                dependents.put(input.edge().dependent(), Boolean.TRUE);
            }
        };
        OperatorSubtaskState snapshot;
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(before), GraphInput::node, Types.STRING)) {
            h.setStateBackend(rocksDbWithHeapTimers());
            h.setup(new JsonStateTypeInfo<>(Invalidation.class).createSerializer(h.getExecutionConfig().getSerializerConfig()));
            h.open();
            h.processElement(GraphInput.of(new EdgeChange(ORDER, "order-page:7", true)), 0);
            snapshot = h.snapshot(1, 1);
        }
        var restored = new KeyedOneInputStreamOperatorTestHarness<>(new GraphOperator(Duration.ofHours(1)), GraphInput::node, Types.STRING);
        restored.setStateBackend(rocksDbWithHeapTimers());
        restored.setup(new JsonStateTypeInfo<>(Invalidation.class).createSerializer(restored.getExecutionConfig().getSerializerConfig()));
        restored.initializeState(snapshot);
        restored.open();
        try (var h = restored) {
            assertEquals(List.of("order:7 v1 keys [order-page:7] tags [order]"), visit(h, ORDER, 1));
            h.prepareSnapshotPreBarrier(2);
            h.snapshot(2, 2);
        }
    }

    /** As the jobs run: RocksDB, timers on the heap (written to the checkpoint's raw keyed state). */
    private static EmbeddedRocksDBStateBackend rocksDbWithHeapTimers() {
        EmbeddedRocksDBStateBackend backend = new EmbeddedRocksDBStateBackend();
        backend.setPriorityQueueStateType(EmbeddedRocksDBStateBackend.PriorityQueueStateType.HEAP);
        return backend;
    }
}
