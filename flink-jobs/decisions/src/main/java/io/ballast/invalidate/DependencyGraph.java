package io.ballast.invalidate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The whole dependency graph in one place, with the closure run to its end: what the job computes across
 * parallel instances, computed here in one thread with the same {@link ClosureStep}. For tests, the CLI and
 * replays.
 */
public final class DependencyGraph {
    private final Map<String, Registration> registrations = new HashMap<>();
    private final Map<Node, Set<String>> dependents = new HashMap<>();
    private final Map<Node, Map<String, Long>> visited = new HashMap<>();

    /** Registers (or replaces) what a key depends on. */
    public void register(Registration registration) {
        Registration before = registrations.put(registration.key(), registration);
        apply(EdgeChange.between(registration.key(), before == null ? Set.of() : before.targets(), registration.targets()));
    }

    /** Withdraws a key's registration. */
    public void withdraw(String key) {
        Registration before = registrations.remove(key);
        if (before != null) {
            apply(EdgeChange.between(key, before.targets(), Set.of()));
        }
    }

    /** Applies edge changes as the graph operator does. */
    public void apply(List<EdgeChange> changes) {
        for (EdgeChange change : changes) {
            Set<String> keys = dependents.computeIfAbsent(change.target(), t -> new TreeSet<>());
            if (change.added()) {
                keys.add(change.dependent());
            } else {
                keys.remove(change.dependent());
            }
        }
    }

    /** Every invalidation a change's closure gives, in visiting order. */
    public List<Invalidation> close(Visit start) {
        List<Invalidation> out = new ArrayList<>();
        Deque<Visit> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            Visit visit = queue.poll();
            Map<String, Long> seen = visited.computeIfAbsent(visit.node(), n -> new HashMap<>());
            ClosureStep.Result result = ClosureStep.visit(visit, seen.get(visit.entity()),
                    dependents.getOrDefault(visit.node(), Set.of()));
            if (result.fresh()) {
                seen.put(visit.entity(), visit.version());
            }
            result.invalidation().ifPresent(out::add);
            queue.addAll(result.next());
        }
        return out;
    }

    /** The keys a change of {@code entity} to {@code version} invalidates, sorted. */
    public Set<String> affectedKeys(String entity, long version) {
        Set<String> keys = new TreeSet<>();
        close(new Visit(Node.entity(entity), entity, version, 0, List.of())).forEach(i -> keys.addAll(i.keys()));
        return keys;
    }
}
