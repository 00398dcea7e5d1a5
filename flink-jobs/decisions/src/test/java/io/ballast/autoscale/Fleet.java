package io.ballast.autoscale;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.ballast.autoscale.DecisionState.Instance;
import io.ballast.autoscale.DecisionState.Series;
import io.ballast.events.InstancePhase;
import io.ballast.events.MetricKind;

/** Test fixtures: instances as HPA's tests build pods, at a fixed evaluation time. */
final class Fleet {
    static final Instant NOW = Instant.parse("2026-01-01T00:30:00Z");
    /** Started within the CPU initialisation period and just turned ready: its CPU sample does not count yet. */
    static final Instant HOT = NOW.minusSeconds(60);
    static final Instant COOL = NOW.minusSeconds(600);

    private Fleet() {
    }

    /** A running, ready pod started long ago with one gauge sample taken now. */
    static Instance pod(String name, String metric, double value, Double request) {
        return pod(name, InstancePhase.RUNNING, true, false, COOL, Map.of(metric, gauge(value, request)));
    }

    static Instance pod(String name, InstancePhase phase, boolean ready, boolean deleted, Instant started, Map<String, Series> series) {
        Instant readinessChanged = started.equals(HOT) ? NOW.minusSeconds(5) : null;
        return new Instance(name, phase, ready, deleted, started, readinessChanged, NOW, series);
    }

    static Series gauge(double value, Double request) {
        return new Series(MetricKind.GAUGE, "", NOW, value, null, null, request);
    }

    /**
     * Pods as HPA's replicaCalcTestCase builds them: {@code levels} in thousandths for the first pods
     * (the others have no sample), each with {@code request}; readiness, phase, start and deletion per pod
     * (null lists mean ready, running, cool, not deleted).
     */
    static List<Instance> pods(String metric, int count, long[] levels, double[] requests, boolean[] ready,
                               InstancePhase[] phases, Instant[] starts, boolean[] deleted) {
        List<Instance> pods = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Double request = requests == null ? null : requests[i];
            Map<String, Series> series = i < levels.length
                    ? Map.of(metric, gauge(levels[i] / 1000.0, request))
                    : request == null ? Map.of() : Map.of(metric, new Series(MetricKind.GAUGE, "", NOW.minusSeconds(3600), 0, null, null, request));
            pods.add(pod("pod-" + i, phases == null ? InstancePhase.RUNNING : phases[i], ready == null || ready[i],
                    deleted != null && deleted[i], starts == null ? COOL : starts[i], series));
        }
        return pods;
    }

    static double[] requests(int count, double each) {
        double[] r = new double[count];
        java.util.Arrays.fill(r, each);
        return r;
    }
}
