package io.ballast.invalidate;

import java.util.List;

/**
 * One step of a closure: the node to visit for a (coalesced) change of {@code entity} to {@code version}.
 * Visits of one change travel between the graph's parallel instances; each node takes a change's visit
 * once, which is what makes the closure terminate on cycles.
 *
 * @param occurredAt the newest coalesced change's event time, carried so invalidations keep it
 * @param changeIds  the eventIds of the coalesced changes
 */
public record Visit(Node node, String entity, long version, long occurredAt, List<String> changeIds) {
    public Visit {
        changeIds = List.copyOf(changeIds);
    }

    /** The same change's visit of another node. */
    public Visit to(Node next) {
        return new Visit(next, entity, version, occurredAt, changeIds);
    }
}
