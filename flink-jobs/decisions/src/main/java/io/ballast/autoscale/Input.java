package io.ballast.autoscale;

import java.time.Instant;
import java.util.List;

import io.ballast.catalog.TopicSpec;
import io.ballast.catalog.Topics;
import io.ballast.events.InstancePhase;
import io.ballast.events.MetricKind;
import io.ballast.events.MetricSample;
import io.ballast.events.ReplicaStatus;
import io.ballast.events.ScalingPolicy;

/** What the autoscaler learns from, each at its event time: a policy, a replica status, a metric sample. */
public sealed interface Input {

    /** Event time. */
    Instant at();

    /** The service the input is about. */
    String service();

    /** A new policy; it takes effect from its event time. */
    record PolicyChange(Instant at, Policy policy) implements Input {
        @Override
        public String service() {
            return policy.service();
        }
    }

    /** The orchestrator's replica counts. */
    record ReplicaChange(Instant at, String service, int spec, int status, int ready, Instant lastScaleTime,
                         List<String> instances) implements Input {
        public ReplicaChange {
            instances = instances == null ? null : List.copyOf(instances);
        }

        /** A status without an instance list: instances are known from their samples. */
        public ReplicaChange(Instant at, String service, int spec, int status, int ready, Instant lastScaleTime) {
            this(at, service, spec, status, ready, lastScaleTime, null);
        }
    }

    /** One sample of one metric of one instance, with the instance's facts. */
    record Sample(Instant at, String service, String instance, String metric, MetricKind kind, double value, String unit,
                  InstancePhase phase, boolean ready, boolean deleted, Instant startedAt, Instant readinessChangedAt,
                  Double request) implements Input {
    }

    /** The topic an input of this kind is read from. */
    static TopicSpec topicOf(Input input) {
        return input instanceof PolicyChange ? Topics.POLICIES : input instanceof ReplicaChange ? Topics.REPLICAS : Topics.METRICS_RAW;
    }

    /** The event type an input of this kind is read from (the envelope's {@code type}). */
    static String eventTypeOf(Input input) {
        return (input instanceof PolicyChange ? ScalingPolicy.class : input instanceof ReplicaChange ? ReplicaStatus.class
                : MetricSample.class).getSimpleName();
    }

    /** The input an event carries; policies must have passed {@link PolicyValidation} first. */
    static Input of(ScalingPolicy event) {
        return new PolicyChange(event.getEnvelope().getOccurredAt(), Policy.from(event));
    }

    static Input of(ReplicaStatus event) {
        return new ReplicaChange(event.getEnvelope().getOccurredAt(), event.getService(), event.getDesiredReplicas(),
                event.getCurrentReplicas(), event.getReadyReplicas(), event.getLastScaleTime(),
                event.getInstances() == null ? null : event.getInstances().stream().map(CharSequence::toString).toList());
    }

    static Input of(MetricSample event) {
        return new Sample(event.getEnvelope().getOccurredAt(), event.getService(), event.getInstance(), event.getMetric(),
                event.getKind(), event.getValue(), event.getUnit(), event.getPhase(), event.getReady(), event.getDeleted(),
                event.getStartedAt(), event.getReadinessChangedAt(), event.getResourceRequest());
    }

    /**
     * A policy or a replica status that arrives after the evaluation at or after its event time has run is not a late
     * sample: it is the service's current spec and status, as HPA reads them at each sync. It is taken at {@code next},
     * the next evaluation. A late sample has no such reading: empty.
     */
    static java.util.Optional<Input> asCurrentAt(Input input, Instant next) {
        if (input instanceof PolicyChange p) {
            return java.util.Optional.of(new PolicyChange(next, p.policy()));
        }
        if (input instanceof ReplicaChange r) {
            return java.util.Optional.of(new ReplicaChange(next, r.service(), r.spec(), r.status(), r.ready(), r.lastScaleTime(),
                    r.instances()));
        }
        return java.util.Optional.empty();
    }
}
