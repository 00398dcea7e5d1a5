package io.ballast.autoscale;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.ballast.events.InstancePhase;
import io.ballast.events.MetricKind;

/**
 * Everything the autoscaler knows about one service at a point of event time: the policy in force,
 * the replica counts, every instance with its facts and the last sample of each of its metrics, the
 * recommendation history (stabilization), the recent scale events (rate policies, cooldowns) and when
 * a metric was last above its activation. It is the state the Flink job keeps per service and the
 * document {@code ballast autoscale evaluate} reads; {@link StateJson} is its JSON form.
 *
 * @param policy        null until a policy arrives
 * @param replicas      null until a replica status arrives
 * @param lastActiveAt  last evaluation at which some metric was above its activation (scale to zero)
 * @param lastScale     the last change of the replica count this autoscaler made, for cooldowns
 * @param headroom      the headroom extension's memory, null without it
 */
public record DecisionState(String service, Policy policy, Replicas replicas, Map<String, Instance> instances,
                            List<Recommendation> recommendations, List<ScaleEvent> scaleEvents,
                            Instant lastActiveAt, ScaleEvent lastScale, Headroom headroom) {

    public DecisionState {
        instances = instances == null ? Map.of() : Map.copyOf(instances);
        recommendations = recommendations == null ? List.of() : List.copyOf(recommendations);
        scaleEvents = scaleEvents == null ? List.of() : List.copyOf(scaleEvents);
    }

    /** A state without the headroom extension's memory. */
    public DecisionState(String service, Policy policy, Replicas replicas, Map<String, Instance> instances,
                         List<Recommendation> recommendations, List<ScaleEvent> scaleEvents, Instant lastActiveAt, ScaleEvent lastScale) {
        this(service, policy, replicas, instances, recommendations, scaleEvents, lastActiveAt, lastScale, null);
    }

    DecisionState withPolicy(Policy next) {
        return new DecisionState(service, next, replicas, instances, recommendations, scaleEvents, lastActiveAt, lastScale, headroom);
    }

    DecisionState withReplicas(Replicas next) {
        return new DecisionState(service, policy, next, instances, recommendations, scaleEvents, lastActiveAt, lastScale, headroom);
    }

    DecisionState withInstances(Map<String, Instance> next) {
        return new DecisionState(service, policy, replicas, next, recommendations, scaleEvents, lastActiveAt, lastScale, headroom);
    }

    /**
     * What the headroom extension remembers (bounded: {@code recent} spans the startup horizon only).
     *
     * @param recent        the CPU in use (in requests) at each evaluation within startup + 2 sync periods
     * @param rise          the decayed peak of how much it rose within that horizon
     * @param need          the decayed peak of the replicas needed
     * @param startupMillis the longest start-to-ready an instance has shown
     */
    public record Headroom(List<Used> recent, double rise, double need, long startupMillis) {
        public Headroom {
            recent = recent == null ? List.of() : List.copyOf(recent);
        }
    }

    /** The CPU in use at an evaluation, in units of the instances' request. */
    public record Used(Instant at, double requests) {
    }

    /** The state of a service nothing is known of yet. */
    public static DecisionState empty(String service) {
        return new DecisionState(service, null, null, Map.of(), List.of(), List.of(), null, null);
    }

    /**
     * The replica counts of the scale target.
     *
     * @param spec   the requested count (HPA's {@code currentReplicas}: the scale subresource's spec.replicas)
     * @param status the count running (status.replicas)
     * @param at     event time of the status this comes from
     * @param instances the instances the orchestrator lists, or null when it lists none
     */
    public record Replicas(int spec, int status, int ready, Instant lastScaleTime, Instant at, List<String> instances) {
        public Replicas {
            instances = instances == null ? null : List.copyOf(instances);
        }

        /** Without an instance list. */
        public Replicas(int spec, int status, int ready, Instant lastScaleTime, Instant at) {
            this(spec, status, ready, lastScaleTime, at, null);
        }

        Replicas withSpec(int next) {
            return new Replicas(next, status, ready, lastScaleTime, at, instances);
        }
    }

    /**
     * One instance (pod) as its latest sample describes it.
     *
     * @param startedAt          null is taken as long ago
     * @param readinessChangedAt null is taken as long ago
     * @param series             metric name to its last sample
     */
    public record Instance(String name, InstancePhase phase, boolean ready, boolean deleted, Instant startedAt,
                           Instant readinessChangedAt, Instant lastSeen, Map<String, Series> series) {
        public Instance {
            series = series == null ? Map.of() : Map.copyOf(series);
        }

        Instance withSeries(String metric, Series value) {
            Map<String, Series> next;
            if (series.isEmpty() || series.size() == 1 && series.containsKey(metric)) {
                // one metric, the common case: no copy to be copied again by the constructor
                next = Map.of(metric, value);
            } else {
                next = new TreeMap<>(series);
                next.put(metric, value);
            }
            return new Instance(name, phase, ready, deleted, startedAt, readinessChangedAt, lastSeen, next);
        }
    }

    /**
     * The last sample of one metric of one instance; a counter also keeps the one before, for its rate.
     *
     * @param request the instance's request of the resource, for Utilization targets; null when not given
     */
    public record Series(MetricKind kind, String unit, Instant at, double value, Instant previousAt, Double previousValue,
                         Double request) {
    }

    /** An unstabilized recommendation, as HPA records one at every evaluation. */
    public record Recommendation(Instant at, int replicas) {
    }

    /** A change of the replica count the autoscaler made. */
    public record ScaleEvent(Instant at, int from, int to) {
        boolean up() {
            return to > from;
        }
    }
}
