package io.ballast.rebalance;

import java.util.Comparator;
import java.util.Iterator;
import java.util.TreeSet;

/**
 * The receiving nodes in the order of one figure (a resource's utilisation, a count), lowest first. Every
 * candidate move asks each ranking for its extreme nodes other than the move's two, and nothing moves while
 * candidates are judged, so the three nodes at each end are kept until the ranking next changes.
 */
final class Ranking {
    private static final int ENDS = 3;

    private final TreeSet<Integer> nodes;
    private int[] top;
    private int[] bottom;

    Ranking(Comparator<Integer> order) {
        nodes = new TreeSet<>(order);
    }

    void add(int node) {
        nodes.add(node);
        top = null;
        bottom = null;
    }

    void remove(int node) {
        nodes.remove(node);
        top = null;
        bottom = null;
    }

    boolean isEmpty() {
        return nodes.isEmpty();
    }

    int last() {
        return nodes.last();
    }

    /** The node at the top (or bottom) that is neither {@code a} nor {@code b}, or -1. */
    int extremeExcluding(boolean highest, int a, int b) {
        int[] ends = highest ? top() : bottom();
        for (int node : ends) {
            if (node != a && node != b) {
                return node;
            }
        }
        return -1;
    }

    private int[] top() {
        if (top == null) {
            top = ends(nodes.descendingIterator());
        }
        return top;
    }

    private int[] bottom() {
        if (bottom == null) {
            bottom = ends(nodes.iterator());
        }
        return bottom;
    }

    private int[] ends(Iterator<Integer> from) {
        int[] ends = new int[Math.min(ENDS, nodes.size())];
        for (int i = 0; i < ends.length; i++) {
            ends[i] = from.next();
        }
        return ends;
    }
}
