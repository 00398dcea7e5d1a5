package io.ballast.autoscale;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.ballast.autoscale.DecisionState.Instance;
import io.ballast.events.InstancePhase;

/**
 * Which instances are the service's pods: those that report a pod metric, or, when the replica status lists them,
 * exactly the listed ones (HPA's selector), a listed one never sampled being there and missing.
 */
final class Pods {
    private Pods() {
    }

    /** An instance is a pod when it reports a pod metric; OBJECT and EXTERNAL series are named by their instance too. */
    static boolean isPod(Instance instance, Set<String> seriesMetrics) {
        for (String metric : instance.series().keySet()) {
            if (!seriesMetrics.contains(metric)) {
                return true;
            }
        }
        return false;
    }

    /** The pods among the sampled instances, when the orchestrator lists none. */
    static List<Instance> sampled(DecisionState state, Set<String> seriesMetrics) {
        List<Instance> pods = new ArrayList<>(state.instances().size());
        for (Instance i : state.instances().values()) {
            if (isPod(i, seriesMetrics)) {
                pods.add(i);
            }
        }
        return pods;
    }

    /** The pods the orchestrator lists, as HPA's selector gives them: a listed one never sampled is there, and missing. */
    static List<Instance> listed(DecisionState state, List<String> listed, Set<String> seriesMetrics) {
        List<Instance> pods = new ArrayList<>(listed.size());
        for (String name : listed) {
            Instance known = state.instances().get(name);
            pods.add(known != null && isPod(known, seriesMetrics) ? known
                    : new Instance(name, InstancePhase.RUNNING, true, false, null, null, state.replicas().at(), Map.of()));
        }
        return pods;
    }

    /** A pod that left the orchestrator's list leaves the state at once (not after the 120 s of an unsampled one). */
    static DecisionState withoutUnlisted(DecisionState state, List<String> listed, Set<String> seriesMetrics) {
        Set<String> names = Set.copyOf(listed);
        if (state.instances().values().stream().allMatch(i -> names.contains(i.name()) || !isPod(i, seriesMetrics))) {
            return state;
        }
        Map<String, Instance> kept = new TreeMap<>();
        state.instances().forEach((name, i) -> {
            if (names.contains(name) || !isPod(i, seriesMetrics)) {
                kept.put(name, i);
            }
        });
        return state.withInstances(kept);
    }
}
