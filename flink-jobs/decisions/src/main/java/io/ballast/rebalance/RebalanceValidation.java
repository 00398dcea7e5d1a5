package io.ballast.rebalance;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.ballast.events.Action;
import io.ballast.events.NodeMembership;
import io.ballast.events.ShardLoad;
import io.ballast.events.ShardReplica;

/**
 * The rules the rebalancer's input events must meet, each violation naming its field (the job dead-letters what breaks
 * them, and an audit leaves out what the job never read), and which actions are an executor's reports.
 */
public final class RebalanceValidation {
    /** The prefix of the actions an executor reports with on ballast.actions (target = the cluster). */
    public static final String ACTION_PREFIX = "rebalance.";

    private RebalanceValidation() {
    }

    /** Whether the action is an executor's report on a plan (rebalance.*); ballast.actions carries every kind. */
    public static boolean isProgress(Action action) {
        return action.getAction().startsWith(ACTION_PREFIX);
    }

    /** rebalance.started, rebalance.move_done, rebalance.aborted, rebalance.completed. */
    public static ClusterModel.Progress progressOf(String action) {
        return ClusterModel.Progress.valueOf(action.substring(ACTION_PREFIX.length()).toUpperCase(java.util.Locale.ROOT));
    }

    public static List<String> check(ShardLoad event) {
        List<String> problems = new ArrayList<>();
        if (event.getCluster().isBlank() || event.getShard().isBlank()) {
            problems.add("cluster and shard: must not be empty");
        }
        if (event.getSizeBytes() < 0) {
            problems.add("sizeBytes: " + event.getSizeBytes() + " is negative");
        }
        event.getLoad().forEach((resource, value) -> {
            if (!Double.isFinite(value) || value < 0) {
                problems.add("load." + resource + ": " + value + " is not a finite number >= 0");
            }
        });
        if (event.getReplicas().isEmpty()) {
            problems.add("replicas: empty; a shard lives on at least one node");
        }
        Set<String> nodes = new HashSet<>();
        long leaders = 0;
        for (ShardReplica replica : event.getReplicas()) {
            if (!nodes.add(replica.getNode())) {
                problems.add("replicas: two on node " + replica.getNode());
            }
            leaders += replica.getLeader() ? 1 : 0;
        }
        if (leaders > 1) {
            problems.add("replicas: " + leaders + " leaders; at most one");
        }
        return problems;
    }

    public static List<String> check(NodeMembership event) {
        List<String> problems = new ArrayList<>();
        if (event.getCluster().isBlank() || event.getNode().isBlank() || event.getRack().isBlank()) {
            problems.add("cluster, node and rack: must not be empty");
        }
        event.getCapacity().forEach((resource, value) -> {
            if (!Double.isFinite(value) || value <= 0) {
                problems.add("capacity." + resource + ": " + value + " is not a number > 0");
            }
        });
        return problems;
    }

    public static List<String> check(Action action) {
        if (!isProgress(action)) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        try {
            ClusterModel.Progress progress = progressOf(action.getAction());
            List<String> needed = progress == ClusterModel.Progress.MOVE_DONE ? List.of("planId", "shard", "from", "to") : List.of("planId");
            for (String key : needed) {
                if (action.getAttributes().getOrDefault(key, "").isBlank()) {
                    problems.add("attributes." + key + ": missing for " + action.getAction());
                }
            }
        } catch (IllegalArgumentException e) {
            problems.add("action: unknown rebalance action '" + action.getAction()
                    + "'; known: rebalance.started, rebalance.move_done, rebalance.aborted, rebalance.completed");
        }
        return problems;
    }
}
