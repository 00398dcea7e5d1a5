package io.ballast.rebalance;

/** Where a node is in its membership life; only JOINING and ACTIVE nodes receive replicas. */
public enum NodeState {
    JOINING, ACTIVE, DRAINING, LEFT;

    /** Whether the planner may place replicas on a node in this state. */
    public boolean acceptsReplicas() {
        return this == JOINING || this == ACTIVE;
    }
}
