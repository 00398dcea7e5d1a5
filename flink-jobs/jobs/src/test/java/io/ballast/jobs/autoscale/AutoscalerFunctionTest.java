package io.ballast.jobs.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.ballast.autoscale.AutoscalerSettings;
import io.ballast.autoscale.DecisionState;
import io.ballast.autoscale.Input;
import io.ballast.autoscale.Policy;
import io.ballast.events.InstancePhase;
import io.ballast.events.LateScalingInput;
import io.ballast.events.MetricKind;
import io.ballast.events.MetricSourceType;
import io.ballast.events.ScalingDecision;
import io.ballast.events.TargetType;
import io.ballast.jobs.state.DecisionStateTypeInfo;
import io.ballast.jobs.state.InputTypeInfo;
import io.ballast.jobs.serde.AvroEventTypeInfo;
import io.ballast.rebalance.InputPosition;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The keyed function on Flink's operator harness: output, side output, state and timers left behind. */
class AutoscalerFunctionTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private KeyedOneInputStreamOperatorTestHarness<String, ReadInput, ScalingDecision> harness;
    private long offset;

    @BeforeEach
    void open() throws Exception {
        open(Duration.ZERO, null);
    }

    /** A fresh harness for the function with this evaluation deadline, restored from {@code snapshot} if given. */
    private void open(Duration deadline, OperatorSubtaskState snapshot) throws Exception {
        AutoscalerFunction function = new AutoscalerFunction(AutoscalerSettings.DEFAULTS, Duration.ofSeconds(60), Duration.ofDays(7), deadline);
        harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(function), ReadInput::service, Types.STRING);
        harness.setup(new AvroEventTypeInfo<>(ScalingDecision.class).createSerializer(harness.getExecutionConfig().getSerializerConfig()));
        if (snapshot != null) {
            harness.initializeState(snapshot);
            harness.open();
            return;
        }
        // the wall clock just before the trace: its inputs are live
        harness.setProcessingTime(T0.minusSeconds(1).toEpochMilli());
        harness.open();
        Policy policy = new Policy("checkout", 1, 1, 10, List.of(new Policy.MetricTarget("queue", MetricSourceType.OBJECT,
                TargetType.AVERAGE_VALUE, 1, null, null, null, false)), null, 0.1, 0, 0, false);
        send(new Input.PolicyChange(T0, policy));
        send(new Input.ReplicaChange(T0, "checkout", 2, 2, 2, null));
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void evaluatesAtTheSyncBoundaryAndSendsLateInputsAside() throws Exception {
        send(queue(10, 6, ""));
        assertEquals(2, harness.numEventTimeTimers(), "evaluations pending at 0 s (policy and replicas) and 15 s (the sample)");
        harness.processWatermark(T0.plusSeconds(15).toEpochMilli());
        List<ScalingDecision> out = harness.extractOutputValues();
        assertEquals(1, out.size());
        assertEquals(4, out.get(0).getDesiredReplicas(), "growth capped at max(2 x 2, 4) without behavior");

        send(queue(14, 9, ""));
        List<StreamRecord<RejectedInput>> aside = List.copyOf(harness.getSideOutput(AutoscalerFunction.REJECTED));
        assertEquals(1, aside.size());
        assertEquals("LATE_EVENT", aside.get(0).getValue().code());
        assertEquals(List.of(3L), List.of(aside.get(0).getValue().offset()), "the dead letter says where the sample was read");
        LateScalingInput note = harness.getSideOutput(AutoscalerFunction.LATE).poll().getValue();
        assertEquals(List.of("ballast.metrics.raw", 2, 3L, "MetricSample", T0.plusSeconds(15), T0.plusSeconds(14)),
                List.of(note.getInputTopic(), note.getInputPartition(), note.getInputOffset(), note.getInputType(),
                        note.getLastEvaluatedAt(), note.getEnvelope().getOccurredAt()));
        assertNull(note.getTakenAt(), "a late sample is never used");
        assertEquals(1, harness.numEventTimeTimers(), "the next evaluation, at 30 s");
        DecisionState state = state();
        assertEquals(4, state.replicas().spec(), "the decision is the new spec");
        assertEquals(6.0, state.instances().get("orders-queue").series().get("queue").value(), "the late 9 was never used");
    }

    @Test
    void aUnitChangeIsRejectedAndASilentServiceIsForgotten() throws Exception {
        send(queue(5, 2, "items"));
        send(queue(10, 2, "bytes"));
        harness.processWatermark(T0.plusSeconds(15).toEpochMilli());
        List<StreamRecord<RejectedInput>> aside = List.copyOf(harness.getSideOutput(AutoscalerFunction.REJECTED));
        assertEquals(1, aside.size());
        assertEquals("unit of series orders-queue/queue changed from 'items' to 'bytes'", aside.get(0).getValue().reason());

        harness.processWatermark(T0.plusSeconds(90).toEpochMilli());
        assertEquals(0, harness.numEventTimeTimers(), "no input for 60 s: no more evaluations");
        assertNull(state());
    }

    @Test
    void aLateReplicaStatusIsTakenAtTheNextEvaluationNotDeadLettered() throws Exception {
        send(queue(10, 6, ""));
        harness.processWatermark(T0.plusSeconds(15).toEpochMilli());
        assertEquals(4, state().replicas().spec(), "the decision at 15 s is the new spec");

        // the orchestrator's status, stamped 12 s, arrives after the evaluation at 15 s has run
        send(new Input.ReplicaChange(T0.plusSeconds(12), "checkout", 3, 3, 3, null));
        assertEquals(List.of(), List.copyOf(harness.getSideOutput(AutoscalerFunction.REJECTED) == null ? List.of()
                : harness.getSideOutput(AutoscalerFunction.REJECTED)), "a status is the current one, not a late sample");
        assertEquals(4, state().replicas().spec(), "not before the next evaluation");
        LateScalingInput note = harness.getSideOutput(AutoscalerFunction.LATE).poll().getValue();
        assertEquals(List.of("ballast.replicas", 1, 3L, "ReplicaStatus", T0.plusSeconds(15), T0.plusSeconds(30)),
                List.of(note.getInputTopic(), note.getInputPartition(), note.getInputOffset(), note.getInputType(),
                        note.getLastEvaluatedAt(), note.getTakenAt()));
        harness.processWatermark(T0.plusSeconds(30).toEpochMilli());
        List<ScalingDecision> out = harness.extractOutputValues();
        assertEquals(2, out.size());
        assertEquals(T0.plusSeconds(30).toEpochMilli(), out.get(1).getEvaluatedAt().toEpochMilli());
        assertEquals(3, out.get(1).getCurrentReplicas(), "the evaluation at 30 s started from the status taken then");
    }

    @Test
    void withLiveInputAnEvaluationRunsAtItsDeadlineNotWaitingForTheWatermark() throws Exception {
        harness.close();
        open(Duration.ofMillis(250), null);
        harness.setProcessingTime(T0.plusMillis(10_050).toEpochMilli());
        send(queue(10, 6, ""));
        assertEquals(1, harness.numProcessingTimeTimers(), "the deadline at 15.25 s (the evaluation at 0 s ran at 0.25 s)");

        harness.setProcessingTime(T0.plusMillis(15_249).toEpochMilli());
        assertEquals(0, harness.extractOutputValues().size(), "no evaluation at 15 s before its deadline");
        harness.setProcessingTime(T0.plusMillis(15_250).toEpochMilli());
        List<ScalingDecision> out = harness.extractOutputValues();
        assertEquals(1, out.size(), "evaluated without a watermark");
        assertEquals(List.of(T0.plusSeconds(15), 4), List.of(out.get(0).getEvaluatedAt(), out.get(0).getDesiredReplicas()));

        // read 1.3 s after its event time, after the evaluation at 15 s: late, and this instance is behind now
        harness.setProcessingTime(T0.plusMillis(15_300).toEpochMilli());
        send(queue(14, 9, ""));
        assertEquals("LATE_EVENT", harness.getSideOutput(AutoscalerFunction.REJECTED).poll().getValue().code());
        assertEquals(T0.plusSeconds(15), harness.getSideOutput(AutoscalerFunction.LATE).poll().getValue().getLastEvaluatedAt());
        harness.setProcessingTime(T0.plusMillis(20_010).toEpochMilli());
        send(queue(20, 1, ""));
        harness.setProcessingTime(T0.plusMillis(30_250).toEpochMilli());
        assertEquals(T0.plusSeconds(15).toEpochMilli(), lastEvaluatedAt(), "an input came 1.3 s late: the evaluation at 30 s waits for the watermark");
        // once the inputs read lately came on time again, the evaluations whose deadlines passed run, in order
        harness.setProcessingTime(T0.plusMillis(40_010).toEpochMilli());
        send(queue(40, 1, ""));
        harness.setProcessingTime(T0.plusMillis(44_000).toEpochMilli());
        assertEquals(T0.plusSeconds(15).toEpochMilli(), lastEvaluatedAt(), "the late read is still in the windows");
        harness.setProcessingTime(T0.plusMillis(45_250).toEpochMilli());
        assertEquals(T0.plusSeconds(45).toEpochMilli(), lastEvaluatedAt(), "30 s, then 45 s");
        out = harness.extractOutputValues();
        assertEquals(List.of(T0.plusSeconds(30), 4), List.of(out.get(1).getEvaluatedAt(), out.get(1).getCurrentReplicas()));
        assertEquals(1.0, state().instances().get("orders-queue").series().get("queue").value(), "the sample of 40 s, folded at 45 s");
        harness.processWatermark(T0.plusSeconds(45).toEpochMilli());
        assertEquals(out.size(), harness.extractOutputValues().size(), "the watermark finds them done");
    }

    @Test
    void aBacklogIsEvaluatedByTheWatermarkAlone() throws Exception {
        harness.close();
        open(Duration.ofMillis(250), null);
        // read a minute after its event time: nothing to evaluate at a deadline
        harness.setProcessingTime(T0.plusSeconds(70).toEpochMilli());
        send(queue(10, 6, ""));
        assertEquals(0, harness.numProcessingTimeTimers(), "no deadline for a bucket read after it");
        harness.setProcessingTime(T0.plusSeconds(90).toEpochMilli());
        assertEquals(0, harness.extractOutputValues().size(), "the inputs read lately were a minute behind");
        harness.processWatermark(T0.plusSeconds(15).toEpochMilli());
        assertEquals(4, harness.extractOutputValues().get(0).getDesiredReplicas());
    }

    @Test
    void anInputLateForAnEvaluationBeforeARestoreIsLateAfterItThoughTheWatermarkStartsOver() throws Exception {
        send(queue(10, 6, ""));
        harness.processWatermark(T0.plusSeconds(15).toEpochMilli());
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();
        open(Duration.ZERO, snapshot);
        send(queue(14, 9, ""));
        assertEquals("LATE_EVENT", harness.getSideOutput(AutoscalerFunction.REJECTED).poll().getValue().code());
        assertEquals(6.0, state().instances().get("orders-queue").series().get("queue").value(), "the late 9 is never used");
        harness.processWatermark(T0.plusSeconds(30).toEpochMilli());
        assertEquals(6.0, state().instances().get("orders-queue").series().get("queue").value());
    }

    @Test
    void inputsBufferedByTheEarlierPerBucketListAreStillEvaluated() throws Exception {
        // a checkpoint of the job before the indexed buffer holds a list per evaluation instant under "pending-inputs"
        harness.getOperator().setCurrentKey("checkout");
        MapState<Long, List<Input>> older = harness.getOperator().getKeyedStateBackend().getPartitionedState(VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE, new MapStateDescriptor<>("pending-inputs", Types.LONG, new ListTypeInfo<>(new InputTypeInfo())));
        older.put(T0.plusSeconds(15).toEpochMilli(), List.of(sample("orders-queue", 10, 6)));
        send(sample("orders-queue-2", 11, 2));
        harness.processWatermark(T0.plusSeconds(15).toEpochMilli());
        DecisionState state = state();
        assertEquals(6.0, state.instances().get("orders-queue").series().get("queue").value(), "the older buffer's sample");
        assertEquals(2.0, state.instances().get("orders-queue-2").series().get("queue").value(), "the indexed buffer's sample");
        harness.getOperator().setCurrentKey("checkout");
        assertFalse(older.keys().iterator().hasNext(), "the older buffer is drained");
    }

    /** The service's decision state as the function left it. */
    private DecisionState state() throws Exception {
        harness.getOperator().setCurrentKey("checkout");
        return harness.getOperator().getKeyedStateBackend().getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                new ValueStateDescriptor<>("decision-state", new DecisionStateTypeInfo())).value();
    }

    private Long lastEvaluatedAt() throws Exception {
        harness.getOperator().setCurrentKey("checkout");
        return harness.getOperator().getKeyedStateBackend().getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                new ValueStateDescriptor<>("last-evaluated-at", Types.LONG)).value();
    }

    /** Sends the input as read at the next offset of a partition of its topic (samples 2, statuses 1, policies 0). */
    private void send(Input input) throws Exception {
        String topic = input instanceof Input.Sample ? "ballast.metrics.raw" : input instanceof Input.ReplicaChange ? "ballast.replicas"
                : "ballast.policies";
        int partition = input instanceof Input.Sample ? 2 : input instanceof Input.ReplicaChange ? 1 : 0;
        harness.processElement(new ReadInput(input, new InputPosition(topic, partition, offset++)), input.at().toEpochMilli());
    }

    private static Input sample(String instance, int second, double value) {
        return new Input.Sample(T0.plusSeconds(second), "checkout", instance, "queue", MetricKind.GAUGE, value, "",
                InstancePhase.RUNNING, true, false, null, null, null);
    }

    private static Input queue(int second, double value, String unit) {
        return new Input.Sample(T0.plusSeconds(second), "checkout", "orders-queue", "queue", MetricKind.GAUGE, value, unit,
                InstancePhase.RUNNING, true, false, null, null, null);
    }
}
