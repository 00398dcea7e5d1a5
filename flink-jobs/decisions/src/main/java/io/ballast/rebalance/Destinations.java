package io.ballast.rebalance;

/**
 * A goal's destinations in the order it tries them (least loaded first), kept from move to move: a node's order
 * depends on that node alone, so a move places again only the nodes it changed instead of sorting the cluster.
 */
final class Destinations {
    private final int[] unordered;
    private final KeptOrder ordered;

    Destinations(Placement p, GoalRule rule, boolean ontoFreshOnly, int fewest) {
        int[] receiving = new int[p.nodes()];
        int count = 0;
        for (int to = 0; to < p.nodes(); to++) {
            if (p.receives[to] && (!ontoFreshOnly || p.fresh[to])) {
                receiving[count++] = to;
            }
        }
        int[] in = java.util.Arrays.copyOf(receiving, count);
        boolean inOrder = rule.fewDestinationsSuffice() && count > fewest;
        unordered = inOrder ? null : in;
        ordered = inOrder ? new KeptOrder(p, in, rule::destinationOrder) : null;
    }

    /** The destinations as the placement now stands; the caller only reads the array. */
    int[] get() {
        return ordered == null ? unordered : ordered.get();
    }
}
