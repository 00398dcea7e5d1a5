package io.ballast.rebalance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random clusters for the planner's properties and benchmark: equal nodes spread over racks, shards whose
 * sizes and loads follow a uniform, linear or exponential skew, placed at random with a bias towards the
 * first nodes so that the cluster starts unbalanced.
 */
public final class RandomClusters {
    /** How shard sizes vary. */
    public enum Skew { UNIFORM, LINEAR, EXPONENTIAL }

    /**
     * @param fill the cluster's mean utilisation of disk and cpu (e.g. 0.5)
     * @param bias how strongly the initial placement prefers the first nodes (0 = uniformly at random)
     */
    public record Spec(int nodes, int shards, int replicas, int racks, Skew skew, double fill, double bias, long seed) {
    }

    private RandomClusters() {
    }

    public static Cluster generate(Spec spec) {
        Random random = new Random(spec.seed());
        double[] weight = new double[spec.shards()];
        double total = 0;
        for (int i = 0; i < spec.shards(); i++) {
            weight[i] = switch (spec.skew()) {
                case UNIFORM -> 1 + 0.2 * random.nextDouble();
                case LINEAR -> 1 + i;
                case EXPONENTIAL -> Math.exp(-6.0 * i / Math.max(1, spec.shards()));
            };
            total += weight[i];
        }
        double diskPerNode = 1e12;
        double cpuPerNode = 32;
        double diskTotal = diskPerNode * spec.nodes() * spec.fill();
        double cpuTotal = cpuPerNode * spec.nodes() * spec.fill();
        List<Node> nodes = new ArrayList<>();
        for (int n = 0; n < spec.nodes(); n++) {
            nodes.add(new Node(nodeId(n), "rack-" + (n % spec.racks()), NodeState.ACTIVE,
                    Map.of(Resources.DISK, diskPerNode, "cpu", cpuPerNode)));
        }
        List<Shard> shards = new ArrayList<>();
        for (int i = 0; i < spec.shards(); i++) {
            long size = (long) (diskTotal * weight[i] / total / spec.replicas());
            double cpu = cpuTotal * weight[i] / total / spec.replicas() * (0.5 + random.nextDouble());
            List<Replica> replicas = new ArrayList<>();
            List<Integer> used = new ArrayList<>();
            while (replicas.size() < Math.min(spec.replicas(), spec.nodes())) {
                int node = pick(random, spec.nodes(), spec.bias());
                boolean rackTaken = used.stream().anyMatch(u -> u % spec.racks() == node % spec.racks())
                        && used.size() < spec.racks();
                if (!used.contains(node) && !rackTaken) {
                    used.add(node);
                    replicas.add(new Replica(nodeId(node), replicas.isEmpty()));
                }
            }
            shards.add(new Shard(String.format("s%05d", i), replicas, size, Map.of("cpu", cpu)));
        }
        return new Cluster("c-" + spec.seed(), nodes, shards);
    }

    private static int pick(Random random, int nodes, double bias) {
        double u = random.nextDouble();
        return (int) Math.min(nodes - 1, Math.floor(nodes * Math.pow(u, 1 + bias)));
    }

    public static String nodeId(int n) {
        return String.format("n%04d", n);
    }
}
