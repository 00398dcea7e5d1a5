package io.ballast.rebalance;

import java.util.function.IntToDoubleFunction;

/**
 * Some nodes in ascending order of a figure that depends on each node alone, then by index (the order of
 * {@link NodeOrder#ascending}), kept from move to move: a move changes two nodes, so the order is restored by
 * placing those again (binary searches among the others, which keep their order) instead of sorting the cluster
 * once per move.
 */
final class KeptOrder {
    private final Placement p;
    private final IntToDoubleFunction figure;
    private final int[] nodes;
    private final double[] order;
    private final int[] changed;
    private int builtAt;

    KeptOrder(Placement p, int[] nodes, IntToDoubleFunction figure) {
        this.p = p;
        this.figure = figure;
        this.order = new double[p.nodes()];
        for (int n : nodes) {
            order[n] = figure.applyAsDouble(n);
        }
        this.nodes = NodeOrder.ascending(nodes, order);
        this.changed = new int[nodes.length];
        this.builtAt = p.version;
    }

    /** The nodes in order as the placement now stands; the caller only reads the array. */
    int[] get() {
        if (builtAt == p.version) {
            return nodes;
        }
        // the nodes that did not change keep their order: they close up, and each changed one is put back in its place
        int kept = 0;
        int changedCount = 0;
        for (int n : nodes) {
            if (p.changedAt[n] > builtAt) {
                order[n] = figure.applyAsDouble(n);
                changed[changedCount++] = n;
            } else {
                nodes[kept++] = n;
            }
        }
        for (int c = 0; c < changedCount; c++) {
            int node = changed[c];
            int at = NodeOrder.insertionPoint(nodes, kept, order, node);
            System.arraycopy(nodes, at, nodes, at + 1, kept - at);
            nodes[at] = node;
            kept++;
        }
        builtAt = p.version;
        return nodes;
    }

    /** A node's figure as of the last {@link #get}. */
    double figure(int node) {
        return order[node];
    }
}
