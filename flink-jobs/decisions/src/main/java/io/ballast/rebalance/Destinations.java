package io.ballast.rebalance;

/**
 * A goal's destinations in the order it tries them (least loaded first), kept from move to move: a node's order
 * depends on that node alone, so a move places again only the nodes it changed instead of sorting the cluster.
 */
final class Destinations {
    private final Placement p;
    private final GoalRule rule;
    private final int[] nodes;
    private final double[] order;
    private final boolean ordered;
    private int builtAt;

    Destinations(Placement p, GoalRule rule, boolean ontoFreshOnly, int fewest) {
        this.p = p;
        this.rule = rule;
        int[] receiving = new int[p.nodes()];
        int count = 0;
        for (int to = 0; to < p.nodes(); to++) {
            if (p.receives[to] && (!ontoFreshOnly || p.fresh[to])) {
                receiving[count++] = to;
            }
        }
        ordered = rule.fewDestinationsSuffice() && count > fewest;
        order = new double[p.nodes()];
        int[] in = java.util.Arrays.copyOf(receiving, count);
        if (ordered) {
            for (int n : in) {
                order[n] = rule.destinationOrder(n);
            }
            in = NodeOrder.ascending(in, order);
        }
        nodes = in;
        builtAt = p.version;
    }

    /** The destinations as the placement now stands; the caller only reads the array. */
    int[] get() {
        if (!ordered || builtAt == p.version) {
            return nodes;
        }
        for (int n : nodes) {
            if (p.changedAt[n] > builtAt) {
                order[n] = rule.destinationOrder(n);
            }
        }
        // nearly sorted: an insertion sort moves the few changed nodes to their places
        for (int i = 1; i < nodes.length; i++) {
            int node = nodes[i];
            int j = i - 1;
            while (j >= 0 && before(node, nodes[j])) {
                nodes[j + 1] = nodes[j];
                j--;
            }
            nodes[j + 1] = node;
        }
        builtAt = p.version;
        return nodes;
    }

    private boolean before(int a, int b) {
        int byOrder = Double.compare(order[a], order[b]);
        return byOrder < 0 || (byOrder == 0 && a < b);
    }
}
