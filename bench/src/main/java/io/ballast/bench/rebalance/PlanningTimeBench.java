package io.ballast.bench.rebalance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.ballast.bench.report.Bench;
import io.ballast.bench.report.BenchPlatform;
import io.ballast.bench.report.Figure;
import io.ballast.bench.report.Goal;
import io.ballast.bench.report.Scale;
import io.ballast.bench.report.Spread;
import io.ballast.bench.report.Suite;
import io.ballast.rebalance.Cluster;
import io.ballast.rebalance.Plan;
import io.ballast.rebalance.Planner;
import io.ballast.rebalance.RandomClusters;

/**
 * The rebalancer's planner on a cluster of 1,000 nodes and 10,000 shards (3 replicas over 3 racks), each
 * skew of {@link RandomClusters} per round; a round's figure is its slowest skew. An absolute goal: the
 * planner alone, in one thread, as the job runs it.
 */
public final class PlanningTimeBench implements Bench<BenchPlatform> {
    private static final int NODES = 1_000;

    @Override
    public String name() {
        return "rebalancer";
    }

    @Override
    public List<Figure> run(BenchPlatform platform, Scale scale) {
        List<Cluster> clusters = new ArrayList<>();
        for (RandomClusters.Skew skew : RandomClusters.Skew.values()) {
            clusters.add(RandomClusters.generate(new RandomClusters.Spec(NODES, NODES * 10, 3, 3, skew, 0.5, 0.3, 42)));
        }
        // a running job has planned before: the first round warms the JIT up and is reported apart, not counted
        long cold = Math.round(slowestPlan(clusters));
        List<Double> slowest = new ArrayList<>();
        for (int r = 0; r < scale.rounds(); r++) {
            slowest.add((double) Math.round(slowestPlan(clusters)));
        }
        Suite.progress("rebalancer planning, slowest skew per round: " + slowest + " ms (first plans, JIT cold: " + cold + " ms)");
        return List.of(new Figure("rebalancer.planningMillis1000Nodes", "ms", new Spread(slowest), null, Goal.valueAtMost(1000),
                "Planner.plan on random clusters of " + NODES + " nodes / " + NODES * 10 + " shards (3 replicas, 3 racks, fill 0.5, "
                        + "placement bias 0.3, seed 42), each skew (" + clusters.size() + ") per round, the slowest counted; no reference "
                        + "(an absolute goal); a first, uncounted round warms the JIT up (its slowest plan is details.coldMillis). "
                        + "The job plans on a thread of its own and picks the plan up on the operator thread (RebalancerFunctionTest: "
                        + "a checkpoint taken while a plan is under way)",
                Map.of("offOperatorThread", true, "coldMillis", cold)));
    }

    /** Plans each cluster once; the slowest plan's time in ms. */
    private static double slowestPlan(List<Cluster> clusters) {
        double worst = 0;
        for (Cluster cluster : clusters) {
            long start = System.nanoTime();
            Plan plan = new Planner().plan(cluster);
            worst = Math.max(worst, (System.nanoTime() - start) / 1e6);
            if (plan.moves().isEmpty()) {
                throw new IllegalStateException("a skewed cluster of " + NODES + " nodes was planned without a move");
            }
        }
        return worst;
    }
}
