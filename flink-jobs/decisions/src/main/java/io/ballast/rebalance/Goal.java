package io.ballast.rebalance;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The goals a plan pursues. Their priority and hardness come from {@link PlannerSettings}. */
public enum Goal {
    /** No replica stays on a DRAINING or LEFT node. Always first and hard. */
    DRAIN("drain"),
    /** Each shard's replicas span min(replicas, racks) distinct racks. */
    RACK_AWARE("rack-aware"),
    /** Every node under the capacity threshold on every resource. */
    CAPACITY("capacity"),
    /** Every node's utilisation of every resource within the balance band around the cluster's mean. */
    RESOURCE_DISTRIBUTION("resource-distribution"),
    /** Replica counts per node within the balance band around the mean. */
    REPLICA_DISTRIBUTION("replica-distribution"),
    /** Leader counts per node within the balance band around the mean. */
    LEADER_DISTRIBUTION("leader-distribution");

    private final String id;

    Goal(String id) {
        this.id = id;
    }

    /** The name goals files and plans use. */
    public String id() {
        return id;
    }

    public static Optional<Goal> byId(String id) {
        return Arrays.stream(values()).filter(g -> g.id.equals(id)).findFirst();
    }

    public static String known() {
        return Arrays.stream(values()).map(Goal::id).collect(Collectors.joining(", "));
    }
}
