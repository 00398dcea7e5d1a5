package io.ballast.autoscale;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.ballast.events.DecisionStep;
import io.ballast.events.Envelope;
import io.ballast.events.MetricEvaluation;
import io.ballast.events.ScalingDecision;

/** A {@link Decision} as the {@code ScalingDecision} event published to ballast.decisions.scaling. */
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
}
