package io.ballast.autoscale;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.ballast.autoscale.DecisionState.Instance;
import io.ballast.autoscale.DecisionState.Series;
import io.ballast.autoscale.MetricOutcome.Proposal;
import io.ballast.autoscale.MetricOutcome.Unavailable;
import io.ballast.autoscale.Policy.MetricTarget;
import io.ballast.events.InstancePhase;
import io.ballast.events.MetricKind;
import io.ballast.events.MetricSourceType;
import io.ballast.events.MetricStatus;
import io.ballast.events.TargetType;

/**
 * One metric's replica proposal, computed as the Kubernetes HPA's {@code ReplicaCalculator} computes
 * it: values in thousandths held as integers (Kubernetes quantities' milli-values, rounded up),
 * utilisation truncated to a whole percent, instances grouped into ready, unready, missing and ignored
 * and the missing and unready ones filled before a second pass. Consumer lag follows KEDA's Kafka
 * scaler and then HPA's external per-instance path.
 */
final class ReplicaCalculator {
    private final AutoscalerSettings settings;

    ReplicaCalculator(AutoscalerSettings settings) {
        this.settings = settings;
    }

    /**
     * @param pods            the service's instances (pods), not the series of object, external and lag metrics
     * @param series          every instance and series, for object, external and lag metrics
     * @param specReplicas    HPA's currentReplicas (spec.replicas)
     * @param statusReplicas  status.replicas, which HPA's per-instance object and external paths divide by
     */
    MetricOutcome propose(MetricTarget target, Collection<Instance> pods, Collection<Instance> series, int specReplicas,
                          int statusReplicas, Tolerances tolerances, Instant now) {
        return switch (target.source()) {
            case RESOURCE, PODS -> target.targetType() == TargetType.UTILIZATION
                    ? utilization(target, pods, specReplicas, tolerances, now)
                    : averageOverPods(target, pods, specReplicas, tolerances, now);
            case OBJECT, EXTERNAL -> target.targetType() == TargetType.VALUE
                    ? total(target, pods, series, specReplicas, tolerances, now)
                    : perPod(target, series, statusReplicas, tolerances, now, Long.MAX_VALUE, "");
            case CONSUMER_LAG -> consumerLag(target, series, statusReplicas, tolerances, now);
        };
    }

    /** HPA's GetResourceReplicas: a Utilization target over the instances' requests. */
    private MetricOutcome utilization(MetricTarget target, Collection<Instance> pods, int currentReplicas, Tolerances tolerances,
                                      Instant now) {
        if (pods.isEmpty()) {
            return new Unavailable(MetricStatus.MISSING, "no instances of the service are known");
        }
        Map<String, Long> requests = new LinkedHashMap<>();
        // a pod the orchestrator lists but that never sent this metric has its service's request (one pod template)
        Double template = pods.stream().map(p -> p.series().get(target.name())).filter(s -> s != null && s.request() != null)
                .map(Series::request).findFirst().orElse(null);
        for (Instance pod : pods) {
            Series s = pod.series().get(target.name());
            Double request = s == null ? template : s.request();
            if (request == null) {
                return new Unavailable(MetricStatus.INVALID, "missing request for " + target.name() + " of instance " + pod.name());
            }
            requests.put(pod.name(), milli(request));
        }
        Groups groups = group(target, pods, now);
        Map<String, Long> metrics = groups.metrics();
        if (metrics.isEmpty()) {
            return new Unavailable(MetricStatus.MISSING, "no current samples of " + target.name() + " from ready instances");
        }
        long targetUtilization = (long) target.target();
        Utilization first = Utilization.of(metrics, requests, targetUtilization);
        String note = groups.note();
        boolean scaleUpWithUnready = !groups.unready().isEmpty() && first.ratio() > 1.0;
        if (!scaleUpWithUnready && groups.missing().isEmpty()) {
            if (tolerances.isWithin(first.ratio())) {
                return proposal(currentReplicas, first.percent(), groups, note + "ratio " + ratio(first.ratio()) + " within tolerance");
            }
            return proposal(ceil(first.ratio() * groups.readyCount()), first.percent(), groups, note + "ratio " + ratio(first.ratio()));
        }
        if (!groups.missing().isEmpty()) {
            long fallback = first.ratio() < 1.0 ? Math.max(100, targetUtilization) : 0;
            if (first.ratio() != 1.0) {
                for (String pod : groups.missing()) {
                    metrics.put(pod, requests.get(pod) * fallback / 100);
                }
                note += groups.missing().size() + " missing filled at " + fallback + "% of request; ";
            }
        }
        if (scaleUpWithUnready) {
            groups.unready().forEach(pod -> metrics.put(pod, 0L));
            note += groups.unready().size() + " unready filled at 0%; ";
        }
        double newRatio = Utilization.of(metrics, requests, targetUtilization).ratio();
        return secondPass(first.ratio(), newRatio, metrics.size(), currentReplicas, first.percent(), groups, note, tolerances);
    }

    /** HPA's GetMetricReplicas (calcPlainMetricReplicas): an AverageValue target over the instances. */
    private MetricOutcome averageOverPods(MetricTarget target, Collection<Instance> pods, int currentReplicas,
                                          Tolerances tolerances, Instant now) {
        if (pods.isEmpty()) {
            return new Unavailable(MetricStatus.MISSING, "no instances of the service are known");
        }
        Groups groups = group(target, pods, now);
        Map<String, Long> metrics = groups.metrics();
        if (metrics.isEmpty()) {
            return new Unavailable(MetricStatus.MISSING, "no current samples of " + target.name() + " from ready instances");
        }
        long targetUsage = milli(target.target());
        long usage = average(metrics);
        double ratio = (double) usage / targetUsage;
        double current = usage / 1000.0;
        String note = groups.note();
        boolean scaleUpWithUnready = !groups.unready().isEmpty() && ratio > 1.0;
        if (!scaleUpWithUnready && groups.missing().isEmpty()) {
            if (tolerances.isWithin(ratio)) {
                return proposal(currentReplicas, current, groups, note + "ratio " + ratio(ratio) + " within tolerance");
            }
            return proposal(ceil(ratio * groups.readyCount()), current, groups, note + "ratio " + ratio(ratio));
        }
        // at a ratio of exactly 1.0 HPA fills nothing (as on the CPU path): the second pass keeps the count
        if (!groups.missing().isEmpty() && ratio != 1.0) {
            long fill = ratio < 1.0 ? targetUsage : 0;
            groups.missing().forEach(pod -> metrics.put(pod, fill));
            note += groups.missing().size() + " missing filled at " + (ratio < 1.0 ? "the target" : "0") + "; ";
        }
        if (scaleUpWithUnready) {
            groups.unready().forEach(pod -> metrics.put(pod, 0L));
            note += groups.unready().size() + " unready filled at 0; ";
        }
        double newRatio = (double) average(metrics) / targetUsage;
        return secondPass(ratio, newRatio, metrics.size(), currentReplicas, current, groups, note, tolerances);
    }

    /** The end of both instance paths: a recomputed ratio in tolerance or flipping direction keeps the count. */
    private static MetricOutcome secondPass(double ratio, double newRatio, int counted, int currentReplicas, double current,
                                            Groups groups, String note, Tolerances tolerances) {
        if (tolerances.isWithin(newRatio) || (ratio < 1.0 && newRatio > 1.0) || (ratio > 1.0 && newRatio < 1.0)) {
            return proposal(currentReplicas, current, groups, note + "ratio " + ratio(ratio) + ", recomputed " + ratio(newRatio)
                    + (tolerances.isWithin(newRatio) ? " within tolerance" : " flips direction") + ": no change");
        }
        int replicas = ceil(newRatio * counted);
        if ((newRatio < 1.0 && replicas > currentReplicas) || (newRatio > 1.0 && replicas < currentReplicas)) {
            return proposal(currentReplicas, current, groups, note + "recomputed ratio " + ratio(newRatio)
                    + " over " + counted + " instances would reverse direction: no change");
        }
        return proposal(replicas, current, groups, note + "ratio " + ratio(ratio) + ", recomputed " + ratio(newRatio));
    }

    /** HPA's object and external Value path: the total against the target, times the ready instances. */
    private MetricOutcome total(MetricTarget target, Collection<Instance> pods, Collection<Instance> series, int currentReplicas,
                                Tolerances tolerances, Instant now) {
        Totals totals = Totals.of(target.name(), series, now, this);
        if (totals.count() == 0) {
            return new Unavailable(MetricStatus.MISSING, "no current sample of " + target.name());
        }
        double ratio = (double) totals.milli() / milli(target.target());
        double value = totals.milli() / 1000.0;
        if (currentReplicas == 0) {
            return new Proposal(ceil(ratio), value, value, "ratio " + ratio(ratio) + " from zero", totals.oldest(), totals.newest());
        }
        if (tolerances.isWithin(ratio)) {
            return new Proposal(currentReplicas, value, value, "ratio " + ratio(ratio) + " within tolerance", totals.oldest(), totals.newest());
        }
        if (pods.isEmpty()) {
            return new Unavailable(MetricStatus.MISSING, "no instances of the service are known to count the ready ones");
        }
        long ready = pods.stream().filter(p -> p.phase() == InstancePhase.RUNNING && p.ready()).count();
        return new Proposal(ceil(ratio * ready), value, value, "ratio " + ratio(ratio) + " x " + ready + " ready instances",
                totals.oldest(), totals.newest());
    }

    /** HPA's object and external AverageValue path: the total over the target, against status.replicas. */
    private MetricOutcome perPod(MetricTarget target, Collection<Instance> series, int statusReplicas, Tolerances tolerances,
                                 Instant now, long cappedMilli, String note) {
        Totals totals = Totals.of(target.name(), series, now, this);
        if (totals.count() == 0) {
            return new Unavailable(MetricStatus.MISSING, "no current sample of " + target.name());
        }
        long usage = Math.min(totals.milli(), cappedMilli);
        long targetPerPod = milli(target.target());
        int replicas = statusReplicas;
        double ratio = (double) usage / ((double) targetPerPod * statusReplicas);
        if (!tolerances.isWithin(ratio)) {
            replicas = ceil((double) usage / targetPerPod);
        }
        double perInstance = statusReplicas == 0 ? usage / 1000.0 : Math.ceil((double) usage / statusReplicas) / 1000.0;
        String within = tolerances.isWithin(ratio) ? " within tolerance" : "";
        return new Proposal(replicas, perInstance, usage / 1000.0,
                note + "total " + usage / 1000.0 + " / target " + target.target() + ", ratio " + ratio(ratio)
                        + " against " + statusReplicas + " replicas" + within, totals.oldest(), totals.newest());
    }

    /**
     * KEDA's Kafka scaler: the total lag of the group's partitions, capped at partitions x threshold unless
     * idle consumers are allowed, then HPA's external AverageValue path with the threshold as target.
     * Each sample of the metric is one partition's lag.
     */
    private MetricOutcome consumerLag(MetricTarget target, Collection<Instance> series, int statusReplicas, Tolerances tolerances,
                                      Instant now) {
        Totals totals = Totals.of(target.name(), series, now, this);
        long threshold = (long) target.target();
        long lag = totals.milli() / 1000;
        long cap = Long.MAX_VALUE;
        String note = totals.count() + " partitions, total lag " + lag + "; ";
        if (!target.allowIdleConsumers() && threshold > 0 && lag / threshold > totals.count()) {
            cap = totals.count() * threshold * 1000;
            note += "capped at " + totals.count() + " partitions x " + threshold + "; ";
        }
        return perPod(target, series, statusReplicas, tolerances, now, cap, note);
    }

    /** HPA's groupPods: ignored (deleted, failed), unready (pending; CPU not yet initialised), missing, ready. */
    private Groups group(MetricTarget target, Collection<Instance> pods, Instant now) {
        boolean cpu = target.source() == MetricSourceType.RESOURCE && "cpu".equals(target.name());
        Map<String, Long> metrics = new LinkedHashMap<>();
        Set<String> unready = new LinkedHashSet<>();
        Set<String> missing = new LinkedHashSet<>();
        Set<String> ignored = new LinkedHashSet<>();
        int ready = 0;
        Instant oldest = null;
        Instant newest = null;
        for (Instance pod : pods) {
            Series s = pod.series().get(target.name());
            boolean fresh = s != null && isFresh(s, now);
            if (pod.deleted() || pod.phase() == InstancePhase.FAILED) {
                ignored.add(pod.name());
            } else if (pod.phase() == InstancePhase.PENDING) {
                unready.add(pod.name());
            } else if (!fresh) {
                missing.add(pod.name());
            } else if (cpu && cpuUnready(pod, s, now)) {
                unready.add(pod.name());
            } else {
                ready++;
                metrics.put(pod.name(), milli(value(s)));
                oldest = oldest == null || s.at().isBefore(oldest) ? s.at() : oldest;
                newest = newest == null || s.at().isAfter(newest) ? s.at() : newest;
            }
        }
        return new Groups(ready, metrics, unready, missing, ignored, oldest, newest);
    }

    /** HPA: within the CPU initialisation period a sample counts once the pod is ready and a window has passed. */
    private boolean cpuUnready(Instance pod, Series sample, Instant now) {
        Instant started = pod.startedAt() == null ? Instant.EPOCH : pod.startedAt();
        Instant transition = pod.readinessChangedAt() == null ? Instant.EPOCH : pod.readinessChangedAt();
        if (started.plus(settings.cpuInitializationPeriod()).isAfter(now)) {
            return !pod.ready() || sample.at().isBefore(transition.plus(settings.sampleWindow()));
        }
        return !pod.ready() && started.plus(settings.initialReadinessDelay()).isAfter(transition);
    }

    boolean isFresh(Series s, Instant now) {
        return !s.at().isAfter(now) && !s.at().plus(settings.sampleStaleness()).isBefore(now) && !Double.isNaN(value(s));
    }

    /** A gauge's reading, or a counter's per-second rate with resets handled as Prometheus does. */
    static double value(Series s) {
        if (s.kind() != MetricKind.COUNTER) {
            return s.value();
        }
        if (s.previousAt() == null || !s.at().isAfter(s.previousAt())) {
            return Double.NaN;
        }
        double increase = s.value() >= s.previousValue() ? s.value() - s.previousValue() : s.value();
        return increase * 1000.0 / (s.at().toEpochMilli() - s.previousAt().toEpochMilli());
    }

    /** A value in thousandths, rounded up as Kubernetes' Quantity.MilliValue rounds. */
    static long milli(double value) {
        // most values are written with at most three decimals (0.347 cores): when the nearest double to n / 1000 is the
        // value, n is its exact milli-value, with no decimal arithmetic (every evaluation takes several of these)
        if (Math.abs(value) < MAX_EXACT_MILLI) {
            long candidate = Math.round(value * 1000);
            if (candidate / 1000.0 == value) {
                return candidate;
            }
        }
        return BigDecimal.valueOf(value).movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    /** Below it two decimals of at most three places are always distinct doubles, so n / 1000 names the value exactly. */
    private static final double MAX_EXACT_MILLI = 1e9;

    private static long average(Map<String, Long> metrics) {
        long total = 0;
        for (long v : metrics.values()) {
            total += v;
        }
        return total / metrics.size();
    }

    private static int ceil(double value) {
        return (int) Math.ceil(value);
    }

    private static String ratio(double ratio) {
        if (!Double.isFinite(ratio)) {
            return String.valueOf(ratio);
        }
        return BigDecimal.valueOf(ratio).setScale(3, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }

    private static Proposal proposal(int replicas, double current, Groups groups, String note) {
        return new Proposal(replicas, current, current, note, groups.oldest(), groups.newest());
    }

    /** HPA's GetResourceUtilizationRatio: usage over requests of the instances with a request, as a whole percent. */
    private record Utilization(long percent, double ratio) {
        static Utilization of(Map<String, Long> metrics, Map<String, Long> requests, long target) {
            long usage = 0;
            long requested = 0;
            for (Map.Entry<String, Long> e : metrics.entrySet()) {
                Long request = requests.get(e.getKey());
                if (request != null) {
                    usage += e.getValue();
                    requested += request;
                }
            }
            if (requested == 0) {
                return new Utilization(0, 0);
            }
            long percent = usage * 100 / requested;
            return new Utilization(percent, (double) percent / target);
        }
    }

    private record Groups(int readyCount, Map<String, Long> metrics, Set<String> unready, Set<String> missing,
                          Set<String> ignored, Instant oldest, Instant newest) {
        String note() {
            List<String> parts = new ArrayList<>();
            parts.add(readyCount + " ready");
            if (!unready.isEmpty()) {
                parts.add(unready.size() + " unready");
            }
            if (!missing.isEmpty()) {
                parts.add(missing.size() + " missing");
            }
            if (!ignored.isEmpty()) {
                parts.add(ignored.size() + " ignored");
            }
            return String.join(", ", parts) + "; ";
        }
    }

    /** The sum of the current samples of a series metric (object, external, lag): one sample per series. */
    private record Totals(long milli, int count, Instant oldest, Instant newest) {
        static Totals of(String metric, Collection<Instance> series, Instant now, ReplicaCalculator freshness) {
            long total = 0;
            int count = 0;
            Instant oldest = null;
            Instant newest = null;
            for (Instance instance : series) {
                Series s = instance.series().get(metric);
                if (s != null && freshness.isFresh(s, now)) {
                    total += ReplicaCalculator.milli(value(s));
                    count++;
                    oldest = oldest == null || s.at().isBefore(oldest) ? s.at() : oldest;
                    newest = newest == null || s.at().isAfter(newest) ? s.at() : newest;
                }
            }
            return new Totals(total, count, oldest, newest);
        }
    }
}
