package io.ballast.invalidate;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One edge of the graph added or removed: {@code dependent} (a cache key) starts or stops depending on
 * {@code target}. The graph keeps edges at their target, so that a change of the target finds its dependents.
 */
public record EdgeChange(Node target, String dependent, boolean added) {

    /** The edge changes that turn the key's targets {@code before} into {@code after}, in a fixed order. */
    public static List<EdgeChange> between(String key, Set<Node> before, Set<Node> after) {
        List<EdgeChange> changes = new ArrayList<>();
        for (Node gone : sorted(before)) {
            if (!after.contains(gone)) {
                changes.add(new EdgeChange(gone, key, false));
            }
        }
        for (Node added : sorted(after)) {
            if (!before.contains(added)) {
                changes.add(new EdgeChange(added, key, true));
            }
        }
        return changes;
    }

    private static List<Node> sorted(Set<Node> nodes) {
        TreeSet<String> ids = new TreeSet<>();
        nodes.forEach(n -> ids.add(n.id()));
        return ids.stream().map(Node::parse).toList();
    }
}
