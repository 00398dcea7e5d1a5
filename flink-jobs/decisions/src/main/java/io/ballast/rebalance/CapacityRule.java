package io.ballast.rebalance;

import java.util.Optional;

/** Every receiving node under the capacity threshold on every resource. Figure: the highest utilisation. */
final class CapacityRule extends GoalRule {
    private final double threshold;

    CapacityRule(boolean hard, Placement p, double threshold) {
        super(Goal.CAPACITY, hard, p);
        this.threshold = threshold;
    }

    @Override
    double computeFigure() {
        double max = 0;
        for (int r = 0; r < p.resource.length; r++) {
            if (!p.utilRank.get(r).isEmpty()) {
                max = Math.max(max, p.util(p.utilRank.get(r).last(), r));
            }
        }
        return max;
    }

    @Override
    boolean satisfied() {
        return figure() <= threshold + EPS;
    }

    private double utilAfter(int node, int r, Candidate c) {
        double shift = node == c.from() ? -p.load[c.shard()][r] : node == c.to() ? p.load[c.shard()][r] : 0;
        return (p.nodeLoad[node][r] + shift) / p.capacity[node][r];
    }

    @Override
    double figureAfter(Candidate c) {
        double max = 0;
        for (int r = 0; r < p.resource.length; r++) {
            int other = p.utilRank.get(r).extremeExcluding(true, c.from(), c.to());
            if (other >= 0) {
                max = Math.max(max, p.util(other, r));
            }
            if (p.receives[c.from()]) {
                max = Math.max(max, utilAfter(c.from(), r, c));
            }
            max = Math.max(max, utilAfter(c.to(), r, c));
        }
        return max;
    }

    @Override
    boolean satisfiedAfter(Candidate c) {
        if (!satisfied()) {
            return figureAfter(c) <= threshold + EPS;
        }
        // met: every node is under the threshold and the source only sheds load, so only the destination can cross it
        for (int r = 0; r < p.resource.length; r++) {
            if (utilAfter(c.to(), r, c) > threshold + EPS) {
                return false;
            }
        }
        return true;
    }

    private double excess(int node, Candidate c) {
        if (!p.receives[node]) {
            return 0;
        }
        double excess = 0;
        for (int r = 0; r < p.resource.length; r++) {
            double util = c == null ? p.util(node, r) : utilAfter(node, r, c);
            excess += Math.max(0, util - threshold);
        }
        return excess;
    }

    @Override
    double delta(Candidate c) {
        return excess(c.from(), c) - excess(c.from(), null) + excess(c.to(), c) - excess(c.to(), null);
    }

    @Override
    double sourceDelta(int shard, int slot, int from) {
        return excess(from, new Candidate(shard, slot, from, -1)) - excess(from, null);
    }

    /** Load moving onto a node never lowers its utilisation. */
    @Override
    double destinationDeltaBound(int to) {
        return 0;
    }

    @Override
    int[] sources() {
        int[] over = new int[p.nodes()];
        double[] mostFirst = new double[p.nodes()];
        int found = 0;
        for (int n = 0; n < p.nodes(); n++) {
            mostFirst[n] = -excess(n, null);
            if (-mostFirst[n] > EPS) {
                over[found++] = n;
            }
        }
        return NodeOrder.ascending(java.util.Arrays.copyOf(over, found), mostFirst);
    }

    @Override
    String reason(Candidate c) {
        int worst = 0;
        for (int r = 1; r < p.resource.length; r++) {
            if (p.util(c.from(), r) > p.util(c.from(), worst)) {
                worst = r;
            }
        }
        return String.format(java.util.Locale.ROOT, "capacity: %s %s at %.3f > %.2f", p.nodeId[c.from()],
                p.resource[worst], p.util(c.from(), worst), threshold);
    }

    @Override
    Optional<String> impossibility() {
        for (int r = 0; r < p.resource.length; r++) {
            double total = 0;
            double capacity = 0;
            double largest = 0;
            for (int s = 0; s < p.shards(); s++) {
                total += p.load[s][r] * p.slotNode[s].length;
                largest = Math.max(largest, p.load[s][r]);
            }
            double biggestNode = 0;
            for (int n = 0; n < p.nodes(); n++) {
                if (p.receives[n]) {
                    capacity += p.capacity[n][r];
                    biggestNode = Math.max(biggestNode, p.capacity[n][r]);
                }
            }
            if (total > threshold * capacity * (1 + EPS)) {
                return Optional.of(String.format(java.util.Locale.ROOT,
                        "%s: the replicas need %s but the receiving nodes' capacity at threshold %.2f is %s",
                        p.resource[r], readable(total), threshold, readable(threshold * capacity)));
            }
            if (largest > threshold * biggestNode * (1 + EPS)) {
                return Optional.of(String.format(java.util.Locale.ROOT,
                        "%s: a replica needs %s but the largest node holds %s at threshold %.2f",
                        p.resource[r], readable(largest), readable(threshold * biggestNode), threshold));
            }
        }
        return Optional.empty();
    }

    private static String readable(double value) {
        return java.math.BigDecimal.valueOf(value).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
    }
}
