package io.ballast.rebalance;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The planner's working copy of a cluster: replicas by node, per-node load and counts, and per-resource
 * rankings of the receiving nodes, so that a candidate move is judged by looking at two nodes and one
 * shard. Nodes, shards and resources are indexed in name order, which makes every scan deterministic.
 */
final class Placement {
    final String clusterId;
    final String[] nodeId;
    final String[] rack;
    /** Each node's rack as a number (racks in name order), so that counting a shard's racks allocates nothing. */
    final int[] rackId;
    final NodeState[] state;
    final boolean[] receives;
    final boolean[] fresh;
    final int receivingNodes;
    final int receivingRacks;
    final String[] resource;
    final double[][] capacity;
    final String[] shardId;
    final long[] size;
    final double[][] load;
    final int[][] initialNode;
    final int[][] slotNode;
    final int[] leaderSlot;
    final int[] initialLeaderSlot;
    final double[][] nodeLoad;
    final int[] replicas;
    final int[] leaders;
    final double[] mean;
    final double meanReplicas;
    final double meanLeaders;
    final SlotKeys[] onNode;
    final List<Ranking> utilRank;
    final Ranking replicaRank;
    final Ranking leaderRank;
    /** Why each moved replica slot (by {@link #slotKey}) moved first, and at which goal's rank. */
    final Map<Long, String> reasons = new HashMap<>();
    final Map<Long, Integer> firstGoalRank = new HashMap<>();
    /** Counts the changes of the placement, so that a goal can keep figures until the next one. */
    int version;
    /** The {@link #version} at which each node last changed: a figure of one node holds until its node changes. */
    final int[] changedAt;

    Placement(Cluster cluster) {
        clusterId = cluster.id();
        List<Node> nodes = cluster.nodes().stream().sorted(Comparator.comparing(Node::id)).toList();
        List<Shard> shards = cluster.shards().stream().sorted(Comparator.comparing(Shard::id)).toList();
        resource = ClusterValidation.resources(nodes).toArray(String[]::new);
        int n = nodes.size();
        nodeId = new String[n];
        rack = new String[n];
        state = new NodeState[n];
        receives = new boolean[n];
        fresh = new boolean[n];
        capacity = new double[n][resource.length];
        Map<String, Integer> nodeIndex = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Node node = nodes.get(i);
            nodeId[i] = node.id();
            rack[i] = node.rack();
            state[i] = node.state();
            receives[i] = node.state().acceptsReplicas();
            for (int r = 0; r < resource.length; r++) {
                capacity[i][r] = node.capacity().getOrDefault(resource[r], Double.NaN);
            }
            nodeIndex.put(node.id(), i);
        }
        int s = shards.size();
        shardId = new String[s];
        size = new long[s];
        load = new double[s][resource.length];
        initialNode = new int[s][];
        slotNode = new int[s][];
        leaderSlot = new int[s];
        for (int i = 0; i < s; i++) {
            Shard shard = shards.get(i);
            shardId[i] = shard.id();
            size[i] = shard.sizeBytes();
            for (int r = 0; r < resource.length; r++) {
                load[i][r] = shard.load(resource[r]);
            }
            List<Replica> rs = shard.replicas();
            initialNode[i] = new int[rs.size()];
            leaderSlot[i] = -1;
            for (int k = 0; k < rs.size(); k++) {
                initialNode[i][k] = nodeIndex.get(rs.get(k).node());
                if (rs.get(k).leader()) {
                    leaderSlot[i] = k;
                }
            }
            slotNode[i] = initialNode[i].clone();
        }
        initialLeaderSlot = leaderSlot.clone();
        nodeLoad = new double[n][resource.length];
        changedAt = new int[n];
        replicas = new int[n];
        leaders = new int[n];
        onNode = new SlotKeys[n];
        for (int i = 0; i < n; i++) {
            onNode[i] = new SlotKeys();
        }
        for (int i = 0; i < s; i++) {
            for (int k = 0; k < slotNode[i].length; k++) {
                add(i, k, slotNode[i][k]);
            }
        }
        int receiving = 0;
        java.util.Set<String> racks = new java.util.HashSet<>();
        double[] totalCapacity = new double[resource.length];
        for (int i = 0; i < n; i++) {
            if (receives[i]) {
                receiving++;
                racks.add(rack[i]);
                fresh[i] = replicas[i] == 0;
                for (int r = 0; r < resource.length; r++) {
                    totalCapacity[r] += capacity[i][r];
                }
            }
        }
        receivingNodes = receiving;
        receivingRacks = racks.size();
        List<String> rackNames = java.util.Arrays.stream(rack).distinct().sorted().toList();
        rackId = new int[n];
        for (int i = 0; i < n; i++) {
            rackId[i] = java.util.Collections.binarySearch(rackNames, rack[i]);
        }
        mean = new double[resource.length];
        for (int r = 0; r < resource.length; r++) {
            double total = 0;
            for (int i = 0; i < s; i++) {
                total += load[i][r] * slotNode[i].length;
            }
            mean[r] = totalCapacity[r] > 0 ? total / totalCapacity[r] : 0;
        }
        long totalReplicas = 0;
        long totalLeaders = 0;
        for (int i = 0; i < s; i++) {
            totalReplicas += slotNode[i].length;
            totalLeaders += leaderSlot[i] >= 0 ? 1 : 0;
        }
        meanReplicas = receiving == 0 ? 0 : (double) totalReplicas / receiving;
        meanLeaders = receiving == 0 ? 0 : (double) totalLeaders / receiving;
        utilRank = new ArrayList<>();
        for (int r = 0; r < resource.length; r++) {
            utilRank.add(new Ranking(n));
        }
        replicaRank = new Ranking(n);
        leaderRank = new Ranking(n);
        for (int i = 0; i < n; i++) {
            if (receives[i]) {
                rank(i);
            }
        }
    }

    int nodes() {
        return nodeId.length;
    }

    /** The nodes that take replicas, in index order. */
    int[] receiving() {
        return java.util.stream.IntStream.range(0, nodes()).filter(n -> receives[n]).toArray();
    }

    int shards() {
        return shardId.length;
    }

    double util(int node, int r) {
        return nodeLoad[node][r] / capacity[node][r];
    }

    /** A node's utilisation of a resource relative to the cluster's mean (1 = exactly balanced). */
    double relative(int node, int r) {
        return mean[r] > 0 ? util(node, r) / mean[r] : 1;
    }

    static long slotKey(int shard, int slot) {
        return ((long) shard << 16) | slot;
    }

    static int shardOf(long key) {
        return (int) (key >>> 16);
    }

    static int slotOf(long key) {
        return (int) (key & 0xFFFF);
    }

    boolean holds(int node, int shard) {
        for (int n : slotNode[shard]) {
            if (n == node) {
                return true;
            }
        }
        return false;
    }

    boolean isLeader(int shard, int slot) {
        return leaderSlot[shard] == slot;
    }

    /** Moves one replica and remembers why, for the plan's explanation. */
    void move(int shard, int slot, int to, java.util.function.Supplier<String> reason, int goalRank) {
        // the first reason is why the replica moves at all; later steps only refine where it lands. It is told
        // as the placement stands before the move, and only once: formatting it for every step costs more than the step
        long key = slotKey(shard, slot);
        if (!reasons.containsKey(key)) {
            reasons.put(key, reason.get());
            firstGoalRank.put(key, goalRank);
        }
        int from = slotNode[shard][slot];
        version++;
        changedAt[from] = version;
        changedAt[to] = version;
        unrank(from);
        unrank(to);
        remove(shard, slot, from);
        slotNode[shard][slot] = to;
        add(shard, slot, to);
        rank(from);
        rank(to);
    }

    /** Hands a shard's leadership to the replica in {@code toSlot}: counts change, no replica moves. */
    void transferLeadership(int shard, int toSlot) {
        int from = slotNode[shard][leaderSlot[shard]];
        int to = slotNode[shard][toSlot];
        version++;
        changedAt[from] = version;
        changedAt[to] = version;
        unrank(from);
        unrank(to);
        leaders[from]--;
        leaders[to]++;
        leaderSlot[shard] = toSlot;
        rank(from);
        rank(to);
    }

    private void add(int shard, int slot, int node) {
        onNode[node].add(slotKey(shard, slot));
        for (int r = 0; r < resource.length; r++) {
            nodeLoad[node][r] += load[shard][r];
        }
        replicas[node]++;
        leaders[node] += isLeader(shard, slot) ? 1 : 0;
    }

    private void remove(int shard, int slot, int node) {
        onNode[node].remove(slotKey(shard, slot));
        for (int r = 0; r < resource.length; r++) {
            nodeLoad[node][r] -= load[shard][r];
        }
        replicas[node]--;
        leaders[node] -= isLeader(shard, slot) ? 1 : 0;
    }

    private void unrank(int node) {
        if (!receives[node]) {
            return;
        }
        for (Ranking rank : utilRank) {
            rank.remove(node);
        }
        replicaRank.remove(node);
        leaderRank.remove(node);
    }

    private void rank(int node) {
        if (!receives[node]) {
            return;
        }
        for (int r = 0; r < resource.length; r++) {
            utilRank.get(r).add(node, util(node, r));
        }
        replicaRank.add(node, replicas[node]);
        leaderRank.add(node, leaders[node]);
    }

    /** How loaded a node is, for tie-breaks: its highest relative utilisation, or its relative replica count. */
    double pressure(int node) {
        double pressure = 0;
        for (int r = 0; r < resource.length; r++) {
            pressure = Math.max(pressure, relative(node, r));
        }
        return resource.length > 0 ? pressure : meanReplicas > 0 ? replicas[node] / meanReplicas : 0;
    }

    /** The model as it now stands. */
    Cluster toCluster(Cluster original) {
        Map<String, Shard> byId = new HashMap<>();
        original.shards().forEach(s -> byId.put(s.id(), s));
        List<Shard> shards = new ArrayList<>();
        for (int i = 0; i < shardId.length; i++) {
            List<Replica> rs = new ArrayList<>();
            for (int k = 0; k < slotNode[i].length; k++) {
                rs.add(new Replica(nodeId[slotNode[i][k]], isLeader(i, k)));
            }
            Shard s = byId.get(shardId[i]);
            shards.add(new Shard(s.id(), rs, s.sizeBytes(), s.load()));
        }
        return new Cluster(original.id(), original.nodes(), shards);
    }
}
