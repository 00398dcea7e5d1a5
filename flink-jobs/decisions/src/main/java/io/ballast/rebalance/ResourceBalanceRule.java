package io.ballast.rebalance;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Every receiving node's utilisation of every resource within a band around the cluster's mean
 * utilisation (total load / total capacity). Figure: the largest deviation as a factor,
 * max(highest / mean, 2 - lowest / mean). It triggers above the trigger factor and balances to the target.
 */
final class ResourceBalanceRule extends GoalRule {
    private final double trigger;
    private final double target;

    ResourceBalanceRule(boolean hard, Placement p, PlannerSettings settings) {
        super(Goal.RESOURCE_DISTRIBUTION, hard, p);
        this.trigger = settings.balanceTrigger();
        this.target = settings.balanceTarget();
    }

    private double relAfter(int node, int r, Candidate c) {
        if (c == null) {
            return p.relative(node, r);
        }
        double shift = node == c.from() ? -p.load[c.shard()][r] : node == c.to() ? p.load[c.shard()][r] : 0;
        return (p.nodeLoad[node][r] + shift) / p.capacity[node][r] / p.mean[r];
    }

    private double deviation(Candidate c) {
        double worst = 1;
        for (int r = 0; r < p.resource.length; r++) {
            if (p.mean[r] <= 0 || p.utilRank.get(r).isEmpty()) {
                continue;
            }
            int from = c == null ? -1 : c.from();
            int to = c == null ? -1 : c.to();
            int top = p.extremeExcluding(p.utilRank.get(r), true, from, to);
            int bottom = p.extremeExcluding(p.utilRank.get(r), false, from, to);
            if (top >= 0) {
                worst = Math.max(worst, Math.max(p.relative(top, r), 2 - p.relative(bottom, r)));
            }
            if (c != null) {
                if (p.receives[c.from()]) {
                    double rel = relAfter(c.from(), r, c);
                    worst = Math.max(worst, Math.max(rel, 2 - rel));
                }
                double rel = relAfter(c.to(), r, c);
                worst = Math.max(worst, Math.max(rel, 2 - rel));
            }
        }
        return worst;
    }

    @Override
    double computeFigure() {
        return deviation(null);
    }

    @Override
    boolean satisfied() {
        return figure() <= trigger + EPS;
    }

    @Override
    double figureAfter(Candidate c) {
        return deviation(c);
    }

    @Override
    boolean satisfiedAfter(Candidate c) {
        return figureAfter(c) <= trigger + EPS;
    }

    private double excess(int node, Candidate c) {
        if (!p.receives[node]) {
            return 0;
        }
        double excess = 0;
        for (int r = 0; r < p.resource.length; r++) {
            if (p.mean[r] > 0) {
                double rel = relAfter(node, r, c);
                excess += Math.max(0, rel - target) + Math.max(0, (2 - target) - rel);
            }
        }
        return excess;
    }

    @Override
    double delta(Candidate c) {
        return excess(c.from(), c) - excess(c.from(), null) + excess(c.to(), c) - excess(c.to(), null);
    }

    private double highest(int node) {
        double highest = 0;
        for (int r = 0; r < p.resource.length; r++) {
            highest = Math.max(highest, p.relative(node, r));
        }
        return highest;
    }

    @Override
    List<Integer> sources() {
        // a node below the band is helped by moves onto it, so the sources are every node above the mean
        List<Integer> above = new ArrayList<>();
        if (figure() <= target + EPS) {
            return above;
        }
        for (int n = 0; n < p.nodes(); n++) {
            if (p.receives[n] && highest(n) > 1 + EPS) {
                above.add(n);
            }
        }
        above.sort(Comparator.<Integer>comparingDouble(n -> -highest(n)).thenComparing(n -> n));
        return above;
    }

    @Override
    String reason(Candidate c) {
        int worst = 0;
        for (int r = 1; r < p.resource.length; r++) {
            if (p.relative(c.from(), r) > p.relative(c.from(), worst)) {
                worst = r;
            }
        }
        return String.format(Locale.ROOT, "resource-distribution: %s %s at %.3f x mean, %s at %.3f x mean (band %.2f)",
                p.nodeId[c.from()], p.resource[worst], p.relative(c.from(), worst), p.nodeId[c.to()],
                p.relative(c.to(), worst), target);
    }
}
