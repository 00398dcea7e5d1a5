package io.ballast.rebalance;

/**
 * Nodes ordered by a figure, then by index: the order every scan of the planner uses, sorted on primitives because
 * the planner sorts a cluster's nodes once per move.
 */
final class NodeOrder {
    private NodeOrder() {
    }

    /**
     * {@code nodes} (in index order) by {@code figure[node]} ascending in {@link Double#compare} order; a stable merge
     * sort, so ties stay in index order.
     */
    static int[] ascending(int[] nodes, double[] figure) {
        int[] a = nodes.clone();
        int[] b = new int[a.length];
        for (int width = 1; width < a.length; width *= 2) {
            for (int lo = 0; lo < a.length; lo += 2 * width) {
                int mid = Math.min(lo + width, a.length);
                int hi = Math.min(lo + 2 * width, a.length);
                int i = lo;
                int j = mid;
                for (int k = lo; k < hi; k++) {
                    b[k] = j >= hi || (i < mid && Double.compare(figure[a[i]], figure[a[j]]) <= 0) ? a[i++] : a[j++];
                }
            }
            int[] t = a;
            a = b;
            b = t;
        }
        return a;
    }

    /**
     * Where {@code node} goes among the first {@code size} of {@code sorted} (ascending in this order): the index of the
     * first node not before it, which is {@code node}'s own index when it is there.
     */
    static int insertionPoint(int[] sorted, int size, double[] figure, int node) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (before(figure, sorted[mid], node)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Whether {@code a} comes before {@code b}: a lower figure, or the same and a lower index. */
    static boolean before(double[] figure, int a, int b) {
        int byFigure = Double.compare(figure[a], figure[b]);
        return byFigure < 0 || (byFigure == 0 && a < b);
    }
}
