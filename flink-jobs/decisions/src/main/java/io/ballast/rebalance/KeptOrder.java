package io.ballast.rebalance;

import java.util.function.IntToDoubleFunction;

/**
 * Some nodes in ascending order of a figure that depends on each node alone, then by index (the order of
 * {@link NodeOrder#ascending}), kept from move to move: a move changes two nodes, so the order is restored by
 * placing those again, an insertion sort of a nearly sorted array, instead of sorting the cluster once per move.
 */
final class KeptOrder {
    private final Placement p;
    private final IntToDoubleFunction figure;
    private final int[] nodes;
    private final double[] order;
    private int builtAt;

    KeptOrder(Placement p, int[] nodes, IntToDoubleFunction figure) {
        this.p = p;
        this.figure = figure;
        this.order = new double[p.nodes()];
        for (int n : nodes) {
            order[n] = figure.applyAsDouble(n);
        }
        this.nodes = NodeOrder.ascending(nodes, order);
        this.builtAt = p.version;
    }

    /** The nodes in order as the placement now stands; the caller only reads the array. */
    int[] get() {
        if (builtAt == p.version) {
            return nodes;
        }
        for (int n : nodes) {
            if (p.changedAt[n] > builtAt) {
                order[n] = figure.applyAsDouble(n);
            }
        }
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

    /** A node's figure as of the last {@link #get}. */
    double figure(int node) {
        return order[node];
    }

    private boolean before(int a, int b) {
        int byOrder = Double.compare(order[a], order[b]);
        return byOrder < 0 || (byOrder == 0 && a < b);
    }
}
