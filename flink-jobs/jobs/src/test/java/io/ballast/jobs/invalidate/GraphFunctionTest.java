package io.ballast.jobs.invalidate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.ballast.invalidate.EdgeChange;
import io.ballast.invalidate.Invalidation;
import io.ballast.invalidate.Node;
import io.ballast.invalidate.Visit;
import io.ballast.jobs.state.JsonStateTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** A node's visits go on to exactly its registered dependents, as edges come and go, and after a restore. */
class GraphFunctionTest {
    private static final Node ORDER = Node.entity("order:7");

    private static KeyedOneInputStreamOperatorTestHarness<String, GraphInput, Invalidation> harness(OperatorSubtaskState restored)
            throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new GraphFunction(Duration.ofHours(1))),
                GraphInput::node, Types.STRING);
        h.setup(new JsonStateTypeInfo<>(Invalidation.class).createSerializer(h.getExecutionConfig().getSerializerConfig()));
        if (restored != null) {
            h.initializeState(restored);
        }
        h.open();
        return h;
    }

    private static Set<String> nextOf(KeyedOneInputStreamOperatorTestHarness<String, GraphInput, Invalidation> h, long version)
            throws Exception {
        var before = h.getSideOutput(GraphFunction.NEXT);
        if (before != null) {
            before.clear();
        }
        h.processElement(GraphInput.of(new Visit(ORDER, "order:7", version, 1_000L * version, List.of("change-" + version))), 0);
        Set<String> next = new TreeSet<>();
        var after = h.getSideOutput(GraphFunction.NEXT);
        if (after != null) {
            after.forEach(r -> next.add(r.getValue().node().id()));
        }
        return next;
    }

    @Test
    void visitsFollowTheEdgesAsTheyChangeAndAfterARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(null)) {
            h.processElement(GraphInput.of(new EdgeChange(ORDER, "order-page:7", true)), 0);
            h.processElement(GraphInput.of(new EdgeChange(ORDER, "order-total:7", true)), 0);
            assertEquals(Set.of("K|order-page:7", "K|order-total:7", "T|order"), nextOf(h, 1));
            // the node's dependents were read once and kept: an edge change must reach what the next visit sees
            h.processElement(GraphInput.of(new EdgeChange(ORDER, "order-page:7", false)), 0);
            assertEquals(Set.of("K|order-total:7", "T|order"), nextOf(h, 2));
            h.processElement(GraphInput.of(new EdgeChange(ORDER, "order-badge:7", true)), 0);
            assertEquals(Set.of("K|order-badge:7", "K|order-total:7", "T|order"), nextOf(h, 3));
            assertEquals(Set.of(), nextOf(h, 3), "a visit of a version already visited stops");
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness(snapshot)) {
            assertEquals(Set.of("K|order-badge:7", "K|order-total:7", "T|order"), nextOf(h, 4));
        }
    }
}
