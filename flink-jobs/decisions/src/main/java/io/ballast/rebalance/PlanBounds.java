package io.ballast.rebalance;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Yardsticks for plan quality: a simple greedy baseline (move the largest replica of the most loaded node
 * to the least loaded node while that lowers the spread figure; blind to racks and capacity), the
 * {@link Quality} of any placement, and a lower bound on the moves and bytes any plan needs to bring
 * every node within the band on every resource: under min(capacity threshold, mean × balance target)
 * (what must leave each node) and over mean × (2 − balance target) (what must reach each node; every
 * move does both, so the bound is the larger of the two sums).
 */
public final class PlanBounds {
    private PlanBounds() {
    }

    /** Moves and bytes of a plan or bound. */
    public record Cost(int moves, long bytes) {
    }

    public static Cost lowerBound(Cluster cluster, PlannerSettings settings) {
        List<String> resources = new ArrayList<>(ClusterValidation.resources(cluster.nodes()));
        Map<String, Double> mean = means(cluster, resources);
        Map<String, List<Shard>> on = replicasByNode(cluster);
        int moves = 0;
        long bytes = 0;
        for (Node node : cluster.nodes()) {
            List<Shard> here = on.getOrDefault(node.id(), List.of());
            if (!node.state().acceptsReplicas()) {
                moves += here.size();
                bytes += here.stream().mapToLong(Shard::sizeBytes).sum();
                continue;
            }
            int need = 0;
            long diskExcess = 0;
            for (String r : resources) {
                double limit = Math.min(settings.capacityThreshold(), mean.get(r) * settings.balanceTarget()) * node.capacity().get(r);
                double excess = here.stream().mapToDouble(s -> s.load(r)).sum() - limit;
                if (excess > 0) {
                    List<Double> loads = here.stream().map(s -> s.load(r)).sorted(Comparator.reverseOrder()).toList();
                    int k = 0;
                    double shed = 0;
                    while (shed < excess && k < loads.size()) {
                        shed += loads.get(k++);
                    }
                    need = Math.max(need, k);
                    if (Resources.DISK.equals(r)) {
                        diskExcess = (long) Math.ceil(excess);
                    }
                }
            }
            long smallest = here.stream().mapToLong(Shard::sizeBytes).sorted().limit(need).sum();
            moves += need;
            bytes += Math.max(diskExcess, smallest);
        }
        // every move also fills one node: nodes under the band need at least what they lack
        Cost fill = fillBound(cluster, settings, resources, mean, on);
        return new Cost(Math.max(moves, fill.moves()), Math.max(bytes, fill.bytes()));
    }

    /** What the nodes under mean × (2 − balance target) must receive, in the fewest, largest replicas of the cluster. */
    private static Cost fillBound(Cluster cluster, PlannerSettings settings, List<String> resources, Map<String, Double> mean,
                                  Map<String, List<Shard>> on) {
        Map<String, List<Double>> largest = new HashMap<>();
        for (String r : resources) {
            largest.put(r, cluster.shards().stream().map(s -> s.load(r)).sorted(Comparator.reverseOrder()).toList());
        }
        int moves = 0;
        long bytes = 0;
        for (Node node : cluster.nodes()) {
            if (!node.state().acceptsReplicas()) {
                continue;
            }
            List<Shard> here = on.getOrDefault(node.id(), List.of());
            int need = 0;
            for (String r : resources) {
                double floor = (2 - settings.balanceTarget()) * mean.get(r) * node.capacity().get(r);
                double deficit = floor - here.stream().mapToDouble(s -> s.load(r)).sum();
                if (deficit > 0) {
                    int k = 0;
                    double filled = 0;
                    for (List<Double> loads = largest.get(r); filled < deficit && k < loads.size(); k++) {
                        filled += loads.get(k);
                    }
                    need = Math.max(need, k);
                    if (Resources.DISK.equals(r)) {
                        bytes += (long) Math.ceil(deficit);
                    }
                }
            }
            moves += need;
        }
        return new Cost(moves, bytes);
    }

    /** The simple greedy baseline's plan cost and the placement it reaches. */
    public record Baseline(Cost cost, Cluster after) {
    }

    /**
     * How good a placement is, goal by goal: the highest utilisation, the resource spread figure, how many
     * receiving nodes have a resource outside the target band around the mean, and how many replica spreads
     * over racks are missing. Lets plans of different planners be compared on the same terms.
     */
    public record Quality(double maxUtil, double spread, int nodesOutsideBand, double rackMisses) {
    }

    public static Quality quality(Cluster cluster, PlannerSettings settings) {
        Placement p = new Placement(cluster);
        GoalRule capacity = GoalRule.of(new PlannerSettings.GoalSpec(Goal.CAPACITY, true), p, settings);
        GoalRule spread = GoalRule.of(new PlannerSettings.GoalSpec(Goal.RESOURCE_DISTRIBUTION, false), p, settings);
        GoalRule racks = GoalRule.of(new PlannerSettings.GoalSpec(Goal.RACK_AWARE, true), p, settings);
        List.of(capacity, spread, racks).forEach(GoalRule::refresh);
        int outside = 0;
        double band = settings.balanceTarget();
        for (int n = 0; n < p.nodes(); n++) {
            boolean out = false;
            for (int r = 0; r < p.resource.length && p.receives[n]; r++) {
                double rel = p.relative(n, r);
                out |= rel > band + GoalRule.EPS || rel < 2 - band - GoalRule.EPS;
            }
            outside += out ? 1 : 0;
        }
        return new Quality(capacity.figure(), spread.figure(), outside, racks.figure());
    }

    public static Baseline greedy(Cluster cluster, PlannerSettings settings) {
        Placement p = new Placement(cluster);
        GoalRule spread = GoalRule.of(new PlannerSettings.GoalSpec(Goal.RESOURCE_DISTRIBUTION, false), p, settings);
        spread.refresh();
        for (int step = 0; step < 10 * Math.max(1, p.shards()) && spread.figure() > settings.balanceTarget(); step++) {
            int from = -1;
            int to = -1;
            for (int n = 0; n < p.nodes(); n++) {
                if (p.receives[n] && (from < 0 || p.pressure(n) > p.pressure(from))) {
                    from = n;
                }
                if (p.receives[n] && (to < 0 || p.pressure(n) < p.pressure(to))) {
                    to = n;
                }
            }
            long best = -1;
            SlotKeys onFrom = p.onNode[from];
            for (int held = 0; held < onFrom.size(); held++) {
                long key = onFrom.get(held);
                int s = Placement.shardOf(key);
                if (!p.holds(to, s) && (best < 0 || p.size[s] > p.size[Placement.shardOf(best)])) {
                    best = key;
                }
            }
            if (best < 0 || from == to) {
                break;
            }
            Candidate c = new Candidate(Placement.shardOf(best), Placement.slotOf(best), from, to);
            if (spread.figureAfter(c) >= spread.figure()) {
                break;
            }
            double after = spread.figureAfter(c);
            p.move(c.shard(), c.slot(), c.to(), () -> "greedy", 0);
            spread.moved(after);
        }
        int moves = 0;
        long bytes = 0;
        for (int s = 0; s < p.shards(); s++) {
            for (int k = 0; k < p.slotNode[s].length; k++) {
                boolean stays = false;
                for (int n : p.slotNode[s]) {
                    stays |= n == p.initialNode[s][k];
                }
                if (!stays) {
                    moves++;
                    bytes += p.size[s];
                }
            }
        }
        return new Baseline(new Cost(moves, bytes), p.toCluster(cluster));
    }

    private static Map<String, Double> means(Cluster cluster, List<String> resources) {
        Map<String, Double> mean = new HashMap<>();
        for (String r : resources) {
            double load = cluster.shards().stream().mapToDouble(s -> s.load(r) * s.replicas().size()).sum();
            double capacity = cluster.nodes().stream().filter(n -> n.state().acceptsReplicas()).mapToDouble(n -> n.capacity().get(r)).sum();
            mean.put(r, capacity > 0 ? load / capacity : 0);
        }
        return mean;
    }

    private static Map<String, List<Shard>> replicasByNode(Cluster cluster) {
        Map<String, List<Shard>> on = new HashMap<>();
        cluster.shards().forEach(s -> s.replicas().forEach(r -> on.computeIfAbsent(r.node(), k -> new ArrayList<>()).add(s)));
        return on;
    }
}
