package io.ballast.rederive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.ballast.events.Envelope;
import io.ballast.events.LateScalingInput;
import io.ballast.events.MetricSample;
import io.ballast.events.MetricSourceType;
import io.ballast.events.MetricTarget;
import io.ballast.events.ReplicaStatus;
import io.ballast.events.ScalingBehavior;
import io.ballast.events.ScalingDecision;
import io.ballast.events.ScalingPolicy;
import io.ballast.events.ScalingRules;
import io.ballast.events.TargetType;
import io.ballast.rebalance.InputPosition;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * {@code replay --verify autoscaler} on archived events as the store serves them: decisions the job recorded, one it did
 * not, and the last instant of the range, which the job's watermark (latest input - 5 s) has not reached.
 */
class AutoscalerReplayTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aDecisionNotRecordedIsReportedUnlessTheJobsEventTimeHadNotReachedIt() {
        // a queue asking for 6 replicas from 60 s, and for 3 at 150 s, the last sample
        List<ArchivedEvent> inputs = new ArrayList<>();
        inputs.add(archived(policy()));
        inputs.add(archived(ReplicaStatus.newBuilder().setEnvelope(envelope("ReplicaStatus", T0)).setService("orders")
                .setCurrentReplicas(2).setDesiredReplicas(2).setReadyReplicas(2).build()));
        for (int t = 0; t <= 150; t += 5) {
            inputs.add(archived(MetricSample.newBuilder().setEnvelope(envelope("MetricSample", T0.plusSeconds(t))).setService("orders")
                    .setInstance("orders-queue").setMetric("queue").setValue(t < 60 ? 2 : t < 150 ? 6 : 3).build()));
        }
        List<DecisionReplay.Outcome> all = new AutoscalerReplay().check(inputs, List.of());
        // the 2 -> 6 of 60 s is missing from an empty record; the 6 -> 3 of 150 s, the last input's instant, is not due yet
        assertEquals(1, all.size(), all::toString);
        assertEquals(new DecisionReplay.Outcome("orders", "2026-01-01T00:01:00Z", "", false, "no decision recorded at this instant",
                all.get(0).rederived()), all.get(0));
        assertEquals(true, all.get(0).rederived().startsWith("2 -> 6"), all.get(0).rederived());
        assertEquals(2, new AutoscalerReplay(io.ballast.autoscale.AutoscalerSettings.DEFAULTS, java.time.Duration.ofHours(1),
                java.time.Duration.ZERO).check(inputs, List.of()).size(), "with no out-of-orderness the job would have decided at 150 s");

        List<DecisionReplay.Outcome> matched = new AutoscalerReplay().check(inputs, List.of(archived(decision(all.get(0)))));
        assertEquals(List.of(true), matched.stream().map(DecisionReplay.Outcome::matched).toList());
    }

    @Test
    void aRangeWithoutInputsReportsItsRecordedDecisionsAsNotReDerived() {
        assertEquals(List.of(), new AutoscalerReplay().check(List.of(), List.of()));

        ScalingDecision recorded = ScalingDecision.newBuilder().setEnvelope(envelope("ScalingDecision", T0)).setService("orders")
                .setPolicyVersion(1).setCurrentReplicas(2).setDesiredReplicas(6).setRecommendation(false).setEvaluatedAt(T0).setWindowStart(T0)
                .setWindowEnd(T0).setMetrics(List.of()).setSteps(List.of()).build();
        List<DecisionReplay.Outcome> all = new AutoscalerReplay().check(List.of(), List.of(archived(recorded)));

        assertEquals(1, all.size(), all::toString);
        assertEquals(false, all.get(0).matched());
        assertEquals("no decision at this instant", all.get(0).rederived());
    }

    @Test
    void aServiceIsEvaluatedAsTheJobsWatermarkPassesAfterItsLastInputUntilItIsIdle() {
        // orders: 6 until 40 s, 3 at 45 s (its last input), held at 6 by a 30 s scale-down window; billing goes on to 150 s
        List<ArchivedEvent> inputs = new ArrayList<>();
        inputs.add(archived(policy(30)));
        inputs.add(archived(ReplicaStatus.newBuilder().setEnvelope(envelope("ReplicaStatus", T0)).setService("orders")
                .setCurrentReplicas(2).setDesiredReplicas(2).setReadyReplicas(2).build()));
        for (int t = 0; t <= 150; t += 5) {
            if (t <= 45) {
                inputs.add(archived(MetricSample.newBuilder().setEnvelope(envelope("MetricSample", T0.plusSeconds(t))).setService("orders")
                        .setInstance("orders-queue").setMetric("queue").setValue(t < 45 ? 6 : 3).build()));
            }
            inputs.add(archived(MetricSample.newBuilder().setEnvelope(envelope("MetricSample", T0.plusSeconds(t))).setService("billing")
                    .setInstance("billing-1").setMetric("cpu").setValue(0.1).build()));
        }

        List<DecisionReplay.Outcome> orders = new AutoscalerReplay().check(inputs, List.of()).stream()
                .filter(o -> o.subject().equals("orders")).toList();

        // 2 -> 6 at 0 s; 6 -> 3 once the window no longer holds a 6: after orders' last input, which only the job's clock reaches
        assertEquals(List.of("2026-01-01T00:00:00Z 2 -> 6", "2026-01-01T00:01:00Z 6 -> 3"),
                orders.stream().map(o -> o.at() + " " + o.rederived().substring(0, 6)).toList(), orders::toString);
    }

    @Test
    void lateInputsAreFoldedWhereTheJobRecordedFoldingThem() {
        // queue 2 until 55 s, then 6; the orchestrator's statuses of 50 s (5 replicas, read first) and 45 s (4, read next) and a
        // sample of 58 s (100) were read after the evaluation at 60 s had run: the job took both statuses at 75 s, in the order
        // it read them, and left the sample out, and recorded all three
        List<ArchivedEvent> inputs = new ArrayList<>();
        inputs.add(archived(policy()));
        inputs.add(archived(status(T0, 2)));
        for (int t = 0; t <= 150; t += 5) {
            if (t == 45) {
                inputs.add(new ArchivedEvent(0, T0.plusSeconds(45), new InputPosition("ballast.replicas", 1, 8), status(T0.plusSeconds(45), 4)));
                inputs.add(archived(late(T0.plusSeconds(45), "ballast.replicas", 8, T0.plusSeconds(75))));
            }
            if (t == 50) {
                inputs.add(archived(late(T0.plusSeconds(50), "ballast.replicas", 7, T0.plusSeconds(75))));
                inputs.add(new ArchivedEvent(0, T0.plusSeconds(50), new InputPosition("ballast.replicas", 1, 7), status(T0.plusSeconds(50), 5)));
            }
            inputs.add(archived(sample(t, t < 60 ? 2 : 6)));
        }
        inputs.add(new ArchivedEvent(0, T0.plusSeconds(58), new InputPosition("ballast.metrics.raw", 2, 31), sample("orders-queue-2", 58, 100)));
        inputs.add(archived(late(T0.plusSeconds(58), "ballast.metrics.raw", 31, null)));
        inputs.sort(java.util.Comparator.comparing(ArchivedEvent::occurredAt));

        List<DecisionReplay.Outcome> asTheJobDid = new AutoscalerReplay().check(inputs, List.of());
        assertEquals(List.of("2026-01-01T00:01:00Z 2 -> 6", "2026-01-01T00:01:15Z 4 -> 6"),
                asTheJobDid.stream().map(o -> o.at() + " " + o.rederived().substring(0, 6)).toList(), asTheJobDid::toString);

        List<ArchivedEvent> withoutRecords = inputs.stream().filter(e -> !(e.event() instanceof LateScalingInput)).toList();
        List<DecisionReplay.Outcome> byEventTime = new AutoscalerReplay().check(withoutRecords, List.of());
        assertEquals(List.of("2026-01-01T00:00:45Z 4 -> 2", "2026-01-01T00:01:00Z 5 -> 10", "2026-01-01T00:02:00Z 10 -> 6"),
                byEventTime.stream().map(o -> o.at() + " " + o.rederived().substring(0, o.rederived().indexOf(';'))).toList(),
                "by event time alone the statuses and the sample count where they were stamped: " + byEventTime);
    }

    private static LateScalingInput late(Instant at, String topic, long offset, Instant takenAt) {
        return LateScalingInput.newBuilder().setEnvelope(envelope("LateScalingInput", at)).setService("orders").setInputTopic(topic)
                .setInputPartition(topic.equals("ballast.replicas") ? 1 : 2).setInputOffset(offset)
                .setInputType(topic.equals("ballast.replicas") ? "ReplicaStatus" : "MetricSample").setLastEvaluatedAt(T0.plusSeconds(60))
                .setTakenAt(takenAt).build();
    }

    private static ReplicaStatus status(Instant at, int replicas) {
        return ReplicaStatus.newBuilder().setEnvelope(envelope("ReplicaStatus", at)).setService("orders")
                .setCurrentReplicas(replicas).setDesiredReplicas(replicas).setReadyReplicas(replicas).build();
    }

    private static MetricSample sample(int second, double value) {
        return sample("orders-queue", second, value);
    }

    private static MetricSample sample(String instance, int second, double value) {
        return MetricSample.newBuilder().setEnvelope(envelope("MetricSample", T0.plusSeconds(second))).setService("orders")
                .setInstance(instance).setMetric("queue").setValue(value).build();
    }

    /** The recorded 2 -> 6 at the re-run's instant. */
    private static ScalingDecision decision(DecisionReplay.Outcome o) {
        Instant at = Instant.parse(o.at());
        int current = 2;
        int desired = 6;
        return ScalingDecision.newBuilder().setEnvelope(envelope("ScalingDecision", at)).setService("orders").setPolicyVersion(1)
                .setCurrentReplicas(current).setDesiredReplicas(desired).setRecommendation(false).setEvaluatedAt(at)
                .setWindowStart(at).setWindowEnd(at).setMetrics(List.of()).setSteps(List.of()).build();
    }

    private static ScalingPolicy policy() {
        return policy(0);
    }

    private static ScalingPolicy policy(int scaleDownWindowSeconds) {
        MetricTarget queue = MetricTarget.newBuilder().setName("queue").setSource(MetricSourceType.OBJECT)
                .setTargetType(TargetType.AVERAGE_VALUE).setTarget(1).build();
        ScalingRules down = ScalingRules.newBuilder().setStabilizationWindowSeconds(scaleDownWindowSeconds).build();
        return ScalingPolicy.newBuilder().setEnvelope(envelope("ScalingPolicy", T0)).setService("orders").setVersion(1)
                .setMinReplicas(1).setMaxReplicas(10).setMetrics(List.of(queue))
                .setBehavior(ScalingBehavior.newBuilder().setScaleDown(down).build()).build();
    }

    private static Envelope envelope(String type, Instant at) {
        return Envelope.newBuilder().setEventId(UUID.randomUUID()).setType(type).setSource("test").setSubject("orders")
                .setOccurredAt(at).setRecordedAt(at).build();
    }

    /** An event as the store streams it, decoded. */
    private static ArchivedEvent archived(SpecificRecord event) {
        Envelope envelope = (Envelope) event.get(event.getSchema().getField("envelope").pos());
        return new ArchivedEvent(0, envelope.getOccurredAt(), null, event);
    }
}
