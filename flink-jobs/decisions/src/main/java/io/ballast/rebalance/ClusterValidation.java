package io.ballast.rebalance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules a cluster model must follow before it is planned. Every problem is reported, each naming
 * the entry ({@code nodes[1] (n2)}, {@code shards[3] (s4)}) and what to fix.
 */
public final class ClusterValidation {
    private ClusterValidation() {
    }

    /** The model, if it follows every rule. */
    public static Cluster require(Cluster cluster) {
        List<String> problems = problems(cluster);
        if (!problems.isEmpty()) {
            throw new InvalidClusterException(problems);
        }
        return cluster;
    }

    public static List<String> problems(Cluster cluster) {
        List<String> problems = new ArrayList<>();
        if (cluster.id() == null || cluster.id().isBlank()) {
            problems.add("cluster: the id is empty");
        }
        Map<String, Node> nodes = checkNodes(cluster.nodes(), problems);
        Set<String> resources = resources(cluster.nodes());
        checkShards(cluster.shards(), nodes, resources, problems);
        return problems;
    }

    /** The resources the cluster's receiving nodes declare a capacity for, in name order. */
    static Set<String> resources(List<Node> nodes) {
        Set<String> resources = new TreeSet<>();
        nodes.stream().filter(n -> n.state().acceptsReplicas()).forEach(n -> resources.addAll(n.capacity().keySet()));
        return resources;
    }

    private static Map<String, Node> checkNodes(List<Node> nodes, List<String> problems) {
        Map<String, Node> byId = new HashMap<>();
        Map<String, Integer> index = new HashMap<>();
        Set<String> resources = resources(nodes);
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            String at = "nodes[" + i + "]" + (node.id() == null ? "" : " (" + node.id() + ")");
            if (node.id() == null || node.id().isBlank()) {
                problems.add(at + ": the id is empty");
                continue;
            }
            if (node.rack().isBlank()) {
                problems.add(at + ": the rack is empty");
            }
            Node earlier = byId.putIfAbsent(node.id(), node);
            if (earlier != null) {
                String first = "nodes[" + index.get(node.id()) + "]";
                problems.add(earlier.rack().equals(node.rack())
                        ? "node " + node.id() + " is listed twice: " + first + " and nodes[" + i + "]"
                        : "node " + node.id() + " is in two racks: " + earlier.rack() + " (" + first + ") and "
                                + node.rack() + " (nodes[" + i + "])");
                continue;
            }
            index.put(node.id(), i);
            node.capacity().forEach((resource, value) -> {
                if (value == null || !Double.isFinite(value) || value <= 0) {
                    problems.add(at + ": capacity." + resource + " is " + value + "; a capacity must be a number > 0");
                }
            });
            if (node.state().acceptsReplicas()) {
                for (String resource : resources) {
                    if (!node.capacity().containsKey(resource)) {
                        problems.add(at + ": no capacity for " + resource + ", which other nodes declare;"
                                + " every receiving node needs a capacity for every resource");
                    }
                }
            }
        }
        return byId;
    }

    private static void checkShards(List<Shard> shards, Map<String, Node> nodes, Set<String> resources, List<String> problems) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < shards.size(); i++) {
            Shard shard = shards.get(i);
            String at = "shards[" + i + "]" + (shard.id() == null ? "" : " (" + shard.id() + ")");
            if (shard.id() == null || shard.id().isBlank()) {
                problems.add(at + ": the id is empty");
                continue;
            }
            if (!seen.add(shard.id())) {
                problems.add(at + ": shard " + shard.id() + " is listed twice");
            }
            if (shard.sizeBytes() < 0) {
                problems.add(at + ": sizeBytes is " + shard.sizeBytes() + "; a size must be >= 0");
            }
            shard.load().forEach((resource, value) -> {
                if (Resources.DISK.equals(resource)) {
                    problems.add(at + ": load.disk is not a load; a replica's disk use is sizeBytes");
                } else if (value == null || !Double.isFinite(value) || value < 0) {
                    problems.add(at + ": load." + resource + " is " + value + "; a load must be a number >= 0");
                } else if (!resources.contains(resource)) {
                    problems.add(at + ": load." + resource + " names a resource no node has a capacity for");
                }
            });
            checkReplicas(at, shard, nodes, problems);
        }
    }

    private static void checkReplicas(String at, Shard shard, Map<String, Node> nodes, List<String> problems) {
        if (shard.replicas().isEmpty()) {
            problems.add(at + ": no replicas; a shard lives on at least one node");
        }
        Set<String> on = new HashSet<>();
        int leaders = 0;
        for (Replica replica : shard.replicas()) {
            if (!nodes.containsKey(replica.node())) {
                problems.add(at + ": a replica is on unknown node " + replica.node());
            } else if (!on.add(replica.node())) {
                problems.add(at + ": two replicas on node " + replica.node() + "; replicas live on distinct nodes");
            }
            leaders += replica.leader() ? 1 : 0;
        }
        if (leaders > 1) {
            problems.add(at + ": " + leaders + " replicas are leaders; a shard has at most one");
        }
    }
}
