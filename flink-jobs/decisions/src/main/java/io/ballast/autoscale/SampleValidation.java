package io.ballast.autoscale;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.ballast.events.MetricKind;
import io.ballast.events.MetricSample;
import io.ballast.events.ReplicaStatus;

/**
 * The rules a metric sample or replica status must meet to be used: each violation names the field.
 * A sample that breaks one is dead-lettered by the job, never used.
 */
public final class SampleValidation {
    /** How far ahead of the wall clock an event time may be before it is taken as a clock error. */
    public static final Duration DEFAULT_MAX_FUTURE = Duration.ofMinutes(5);

    private SampleValidation() {
    }

    /** Every violation of a sample; {@code wallClock} is the processing time the event time is checked against. */
    public static List<String> check(MetricSample sample, Instant wallClock, Duration maxFuture) {
        List<String> errors = new ArrayList<>();
        if (sample.getService().isBlank()) {
            errors.add("$.service: must not be empty");
        }
        if (sample.getInstance().isBlank()) {
            errors.add("$.instance: must not be empty");
        }
        if (sample.getMetric().isBlank()) {
            errors.add("$.metric: must not be empty");
        }
        if (!Double.isFinite(sample.getValue())) {
            errors.add("$.value: must be a finite number, got " + sample.getValue());
        } else if (sample.getKind() == MetricKind.COUNTER && sample.getValue() < 0) {
            errors.add("$.value: a COUNTER counts up from 0, got " + sample.getValue());
        }
        Double request = sample.getResourceRequest();
        if (request != null && !(request > 0 && Double.isFinite(request))) {
            errors.add("$.resourceRequest: must be > 0, got " + request);
        }
        future(sample.getEnvelope().getOccurredAt(), wallClock, maxFuture, errors);
        return errors;
    }

    /** Every violation of a replica status. */
    public static List<String> check(ReplicaStatus status, Instant wallClock, Duration maxFuture) {
        List<String> errors = new ArrayList<>();
        if (status.getService().isBlank()) {
            errors.add("$.service: must not be empty");
        }
        if (status.getCurrentReplicas() < 0) {
            errors.add("$.currentReplicas: must be >= 0, got " + status.getCurrentReplicas());
        }
        if (status.getDesiredReplicas() < 0) {
            errors.add("$.desiredReplicas: must be >= 0, got " + status.getDesiredReplicas());
        }
        if (status.getReadyReplicas() < 0) {
            errors.add("$.readyReplicas: must be >= 0, got " + status.getReadyReplicas());
        }
        future(status.getEnvelope().getOccurredAt(), wallClock, maxFuture, errors);
        return errors;
    }

    private static void future(Instant occurredAt, Instant wallClock, Duration maxFuture, List<String> errors) {
        if (occurredAt.isAfter(wallClock.plus(maxFuture))) {
            errors.add("$.envelope.occurredAt: " + occurredAt + " is more than " + maxFuture.toSeconds()
                    + " s ahead of the clock (" + wallClock + ")");
        }
    }
}
