package io.ballast.rebalance;

/**
 * The receiving nodes in the order of one figure (a resource's utilisation, a count), lowest first, ties by
 * node index. Every candidate move asks each ranking for its extreme nodes other than the move's two; a move
 * takes its two nodes out and puts them back with their new figures. Kept as a sorted array of primitives, each
 * node's figure as it was ranked: the planner's hot loop then shares no collection, comparator or boxed value
 * with the rest of the JVM, whose other users (Kafka, Flink) would make those call sites megamorphic.
 */
final class Ranking {
    private final int[] sorted;
    private final double[] figureOf;
    private int size;

    Ranking(int nodes) {
        sorted = new int[nodes];
        figureOf = new double[nodes];
    }

    /** Ranks {@code node} at {@code figure}; it must not be ranked already. */
    void add(int node, double figure) {
        figureOf[node] = figure;
        int at = NodeOrder.insertionPoint(sorted, size, figureOf, node);
        System.arraycopy(sorted, at, sorted, at + 1, size - at);
        sorted[at] = node;
        size++;
    }

    /** Takes {@code node} out; it must be ranked. */
    void remove(int node) {
        int at = NodeOrder.insertionPoint(sorted, size, figureOf, node);
        if (at == size || sorted[at] != node) {
            throw new IllegalStateException("node " + node + " is not ranked");
        }
        System.arraycopy(sorted, at + 1, sorted, at, size - at - 1);
        size--;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int last() {
        if (size == 0) {
            throw new java.util.NoSuchElementException();
        }
        return sorted[size - 1];
    }

    /** The node at the top (or bottom) that is neither {@code a} nor {@code b}, or -1. */
    int extremeExcluding(boolean highest, int a, int b) {
        for (int i = 0; i < Math.min(3, size); i++) {
            int node = sorted[highest ? size - 1 - i : i];
            if (node != a && node != b) {
                return node;
            }
        }
        return -1;
    }
}
