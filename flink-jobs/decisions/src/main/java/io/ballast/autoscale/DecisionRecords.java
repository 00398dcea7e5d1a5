package io.ballast.autoscale;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import io.ballast.events.DecisionStep;
import io.ballast.events.Envelope;
import io.ballast.events.LateScalingInput;
import io.ballast.events.MetricEvaluation;
import io.ballast.events.ScalingDecision;
import io.ballast.rebalance.InputPosition;

/**
 * A {@link Decision} as the {@code ScalingDecision} event published to ballast.decisions.scaling, and a late input as the
 * {@code LateScalingInput} published to ballast.decisions.scaling.late.
 */
public final class DecisionRecords {
    /** The envelope source of every decision the autoscaler publishes. */
    public static final String SOURCE = "ballast-autoscaler";

    private DecisionRecords() {
    }

    /**
     * The decision as an event. Its id is derived from the service and the evaluation time, and its
     * recorded time is the evaluation time, so the same evaluation always gives the same event: a
     * restored job, the simulator and an audit all produce byte-identical decisions.
     */
    public static ScalingDecision toEvent(Decision d) {
        UUID id = UUID.nameUUIDFromBytes((SOURCE + "/" + d.service() + "/" + d.evaluatedAt().toEpochMilli())
                .getBytes(StandardCharsets.UTF_8));
        Envelope envelope = Envelope.newBuilder()
                .setEventId(id)
                .setType(ScalingDecision.class.getSimpleName())
                .setSource(SOURCE)
                .setSubject(d.service())
                .setOccurredAt(d.evaluatedAt())
                .setRecordedAt(d.evaluatedAt())
                .build();
        return ScalingDecision.newBuilder()
                .setEnvelope(envelope)
                .setService(d.service())
                .setPolicyVersion(d.policyVersion())
                .setCurrentReplicas(d.currentReplicas())
                .setDesiredReplicas(d.desiredReplicas())
                .setRecommendation(d.recommendation())
                .setEvaluatedAt(d.evaluatedAt())
                .setWindowStart(d.windowStart() == null ? d.evaluatedAt() : d.windowStart())
                .setWindowEnd(d.windowEnd() == null ? d.evaluatedAt() : d.windowEnd())
                .setMetrics(d.metrics().stream().map(m -> MetricEvaluation.newBuilder()
                        .setMetric(m.metric()).setTargetType(m.targetType()).setTarget(m.target())
                        .setCurrentValue(m.currentValue()).setProposedReplicas(m.proposedReplicas())
                        .setStatus(m.status()).setNote(m.note()).build()).toList())
                .setSteps(d.steps().stream().map(s -> DecisionStep.newBuilder()
                        .setRule(s.rule()).setReplicas(s.replicas()).setDetail(s.detail()).build()).toList())
                .setLimitedBy(d.limitedBy())
                .build();
    }

    /**
     * The record of a late input: read at {@code position} after the evaluation at {@code lastEvaluatedAt} had run, taken at
     * {@code takenAt} (null: not used). Its id is derived from the position and its times are the input's and the evaluation's,
     * so a restored job gives the same event.
     *
     * @param position where it was read; null when not read from Kafka (recorded as partition and offset -1)
     */
    public static LateScalingInput lateInput(Input input, InputPosition position, Instant lastEvaluatedAt, Instant takenAt) {
        String type = Input.eventTypeOf(input);
        InputPosition at = position != null ? position : new InputPosition(Input.topicOf(input).name(), -1, -1);
        UUID id = UUID.nameUUIDFromBytes((SOURCE + "/late/" + at.topic() + "/" + at.partition() + "/" + at.offset() + "/"
                + input.service() + "/" + input.at().toEpochMilli()).getBytes(StandardCharsets.UTF_8));
        Envelope envelope = Envelope.newBuilder()
                .setEventId(id)
                .setType(LateScalingInput.class.getSimpleName())
                .setSource(SOURCE)
                .setSubject(input.service())
                // the input's own time: the archive's event-time order puts the record beside its input
                .setOccurredAt(input.at())
                .setRecordedAt(lastEvaluatedAt)
                .build();
        return LateScalingInput.newBuilder()
                .setEnvelope(envelope)
                .setService(input.service())
                .setInputTopic(at.topic())
                .setInputPartition(at.partition())
                .setInputOffset(at.offset())
                .setInputType(type)
                .setLastEvaluatedAt(lastEvaluatedAt)
                .setTakenAt(takenAt)
                .build();
    }
}
