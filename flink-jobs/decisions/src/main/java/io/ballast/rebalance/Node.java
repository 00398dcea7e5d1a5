package io.ballast.rebalance;

import java.util.Map;
import java.util.TreeMap;

/**
 * A node of a sharded cluster.
 *
 * @param capacity capacity per resource; {@code disk} is in bytes and is consumed by a replica's size,
 *                 every other resource by the shard's load of that name
 */
public record Node(String id, String rack, NodeState state, Map<String, Double> capacity) {
    /** The rack of a node that does not name one. */
    public static final String DEFAULT_RACK = "default";

    public Node {
        rack = rack == null ? DEFAULT_RACK : rack;
        state = state == null ? NodeState.ACTIVE : state;
        capacity = capacity == null ? Map.of() : new TreeMap<>(capacity);
    }

    public Node withState(NodeState newState) {
        return new Node(id, rack, newState, capacity);
    }
}
