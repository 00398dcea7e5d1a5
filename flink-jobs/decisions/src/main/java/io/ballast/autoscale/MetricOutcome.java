package io.ballast.autoscale;

import java.time.Instant;

import io.ballast.events.MetricStatus;

/** What one metric proposes: a replica count, or why it cannot. */
sealed interface MetricOutcome {

    /**
     * A replica count this metric asks for.
     *
     * @param currentValue what the target is compared with: utilisation percent, per-instance average or total
     * @param metricValue  the raw value compared with the activation threshold: the total for series metrics
     *                     (object, external, lag), the current value for instance metrics
     * @param oldest       the oldest sample used
     * @param newest       the newest sample used
     */
    record Proposal(int replicas, double currentValue, double metricValue, String note, Instant oldest, Instant newest)
            implements MetricOutcome {
    }

    /** The metric could not be computed; HPA then never scales down, and scales up only on the others. */
    record Unavailable(MetricStatus status, String reason) implements MetricOutcome {
    }
}
