package io.ballast.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ballast.rebalance.Cluster;
import io.ballast.rebalance.ClusterJson;
import io.ballast.rebalance.Plan;
import io.ballast.rebalance.PlanApplication;
import io.ballast.rebalance.PlanBounds;
import io.ballast.rebalance.Planner;
import io.ballast.rebalance.PlannerSettings;
import io.ballast.rebalance.RandomClusters;

/**
 * Planner time and plan quality on random clusters of 10, 100 and 1,000 nodes with 10× as many shards
 * (3 replicas over 3 racks, uniform, linear and exponential skew), each beside the simple greedy baseline
 * and the lower bound on moves and bytes. Writes bench/target/rebalance.json.
 */
public final class RebalanceBench {
    private RebalanceBench() {
    }

    /** What the plan's moves add up to per goal (the goal that first moved each replica, from its reason). */
    private static Map<String, Long> byGoal(Plan plan, java.util.function.ToLongFunction<Plan.Move> figure) {
        Map<String, Long> by = new java.util.TreeMap<>();
        plan.moves().forEach(m -> by.merge(m.reason().split(":", 2)[0], figure.applyAsLong(m), Long::sum));
        return by;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> given = new LinkedHashMap<>();
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            given.put(kv[0], kv[1]);
        }
        Path out = Path.of(given.getOrDefault("out", "bench/target/rebalance.json"));
        double bias = Double.parseDouble(given.getOrDefault("bias", "0.3"));
        List<Map<String, Object>> runs = new ArrayList<>();
        for (String size : given.getOrDefault("nodes", "10,100,1000").split(",")) {
            int nodes = Integer.parseInt(size);
            for (RandomClusters.Skew skew : RandomClusters.Skew.values()) {
                Cluster cluster = RandomClusters.generate(new RandomClusters.Spec(nodes, nodes * 10, 3, 3, skew, 0.5, bias, 42));
                long start = System.nanoTime();
                Plan plan = new Planner().plan(cluster);
                double millis = (System.nanoTime() - start) / 1e6;
                // the same model again, JIT warm: the time and the proof that the plan is the same
                long again = System.nanoTime();
                Plan second = new Planner().plan(cluster);
                double warmMillis = (System.nanoTime() - again) / 1e6;
                PlanBounds.Baseline greedy = PlanBounds.greedy(cluster, PlannerSettings.DEFAULTS);
                PlanBounds.Cost bound = PlanBounds.lowerBound(cluster, PlannerSettings.DEFAULTS);
                Map<String, Object> run = new LinkedHashMap<>();
                run.put("nodes", nodes);
                run.put("shards", nodes * 10);
                run.put("skew", skew.name().toLowerCase(java.util.Locale.ROOT));
                run.put("plannerMillis", Math.round(millis));
                run.put("plannerMillisSecondRun", Math.round(warmMillis));
                run.put("samePlanTwice", second.equals(plan));
                run.put("status", plan.status().name());
                run.put("moves", plan.moves().size());
                run.put("bytesMoved", plan.bytesMoved());
                run.put("phases", plan.phases());
                run.put("leaderChanges", plan.leaderChanges().size());
                run.put("movesByGoal", byGoal(plan, m -> 1L));
                run.put("bytesByGoal", byGoal(plan, Plan.Move::bytes));
                PlanBounds.Quality before = PlanBounds.quality(cluster, PlannerSettings.DEFAULTS);
                PlanBounds.Quality after = PlanBounds.quality(PlanApplication.apply(cluster, plan), PlannerSettings.DEFAULTS);
                PlanBounds.Quality greedyAfter = PlanBounds.quality(greedy.after(), PlannerSettings.DEFAULTS);
                run.put("before", before);
                run.put("after", after);
                run.put("greedy", Map.of("moves", greedy.cost().moves(), "bytesMoved", greedy.cost().bytes(), "after", greedyAfter));
                run.put("lowerBound", Map.of("moves", bound.moves(), "bytesMoved", bound.bytes()));
                runs.add(run);
                System.out.println(run);
            }
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "rebalance");
        report.put("cluster", "3 replicas per shard over 3 racks, disk + cpu, fill 0.5, placement bias " + bias + ", seed 42");
        report.put("figures", "maxUtil: highest utilisation of any node and resource (threshold 0.8); spread: max(highest / mean, "
                + "2 - lowest / mean) over resources (trigger 1.10); nodesOutsideBand: nodes with a resource outside "
                + "mean x [0.91, 1.09]; rackMisses: replica spreads over racks missing. The greedy baseline ignores racks "
                + "and capacity; the lower bound counts what any plan needs to bring every node within the band: what must "
                + "leave nodes over min(0.8, mean x 1.09) or arrive on nodes under mean x 0.91, the larger of the two "
                + "(moves and bytes bounded separately)");
        report.put("runs", runs);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, ClusterJson.write(report));
        System.out.println("report: " + out);
    }
}
