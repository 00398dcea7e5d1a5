package io.ballast.invalidate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * One node's part of a change's transitive closure. A node takes each change's visit once (it remembers
 * the highest version it was visited for, per entity): a later visit for the same or an older version
 * stops there, so the closure terminates on cycles and names each key once. A fresh visit of a key
 * invalidates that key; of an entity, the entity's type tag (and whatever the sink indexed under the
 * entity); every visit goes on to the node's dependents, and from an entity also to its type tag.
 */
public final class ClosureStep {
    private ClosureStep() {
    }

    /**
     * @param visitedVersion the highest version of {@code visit.entity()} this node was visited for, or null
     * @param dependents     the keys that depend on the visited node
     */
    public record Result(boolean fresh, Optional<Invalidation> invalidation, List<Visit> next) {
    }

    public static Result visit(Visit visit, Long visitedVersion, Collection<String> dependents) {
        if (visitedVersion != null && visitedVersion >= visit.version()) {
            return new Result(false, Optional.empty(), List.of());
        }
        List<Visit> next = new ArrayList<>();
        for (String key : new TreeSet<>(dependents)) {
            next.add(visit.to(Node.key(key)));
        }
        Node node = visit.node();
        Invalidation invalidation = switch (node.kind()) {
            case ENTITY -> {
                Node tag = Node.typeTag(node.ref());
                next.add(visit.to(tag));
                yield invalidation(visit, List.of(), List.of(tag.ref()));
            }
            case KEY -> invalidation(visit, List.of(node.ref()), List.of());
            case TAG -> null; // named by the entity's own invalidation; its registered members come next
        };
        return new Result(true, Optional.ofNullable(invalidation), next);
    }

    private static Invalidation invalidation(Visit visit, List<String> keys, List<String> tags) {
        return new Invalidation(visit.entity(), visit.version(), keys, tags, visit.changeIds(), visit.occurredAt());
    }
}
