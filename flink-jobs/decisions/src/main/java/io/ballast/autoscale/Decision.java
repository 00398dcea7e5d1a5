package io.ballast.autoscale;

import java.time.Instant;
import java.util.List;

import io.ballast.events.DecisionRule;
import io.ballast.events.MetricStatus;
import io.ballast.events.TargetType;

/**
 * A replica count decided for a service, with its explanation: every metric's evaluation, the rules
 * applied in order with the count after each, and the rule that bounded the result.
 *
 * @param recommendation true when the policy is dry-run: nothing should act on it
 * @param windowStart    the oldest sample used; null when no sample was used
 * @param windowEnd      the newest sample used; null when no sample was used
 * @param limitedBy      the last rule that changed the count after the metrics proposed it; null if none did
 */
public record Decision(String service, long policyVersion, int currentReplicas, int desiredReplicas, boolean recommendation,
                       Instant evaluatedAt, Instant windowStart, Instant windowEnd, List<MetricEvaluation> metrics,
                       List<Step> steps, DecisionRule limitedBy) {

    public Decision {
        metrics = List.copyOf(metrics);
        steps = List.copyOf(steps);
    }

    /** Whether the decision changes the replica count. */
    public boolean changesReplicas() {
        return desiredReplicas != currentReplicas;
    }

    /** One metric's evaluation. */
    public record MetricEvaluation(String metric, TargetType targetType, double target, Double currentValue,
                                   Integer proposedReplicas, MetricStatus status, String note) {
    }

    /** One rule applied, and the replica count after it. */
    public record Step(DecisionRule rule, int replicas, String detail) {
    }
}
