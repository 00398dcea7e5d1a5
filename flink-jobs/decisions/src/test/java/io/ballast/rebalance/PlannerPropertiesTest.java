package io.ballast.rebalance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class PlannerPropertiesTest {
    private final Planner planner = new Planner();

    @Provide
    Arbitrary<RandomClusters.Spec> clusters() {
        return Combinators.combine(
                Arbitraries.integers().between(3, 24),
                Arbitraries.integers().between(1, 10),
                Arbitraries.integers().between(1, 3),
                Arbitraries.integers().between(1, 4),
                Arbitraries.of(RandomClusters.Skew.class),
                Arbitraries.doubles().between(0.2, 0.7),
                Arbitraries.doubles().between(0, 1.5),
                Arbitraries.longs())
                .as((nodes, perNode, replicas, racks, skew, fill, bias, seed) ->
                        new RandomClusters.Spec(nodes, nodes * perNode, replicas, racks, skew, fill, bias, seed));
    }

    private static boolean hasEmptyNode(Cluster cluster) {
        Set<String> used = cluster.shards().stream().flatMap(s -> s.replicas().stream()).map(Replica::node)
                .collect(Collectors.toSet());
        return cluster.nodes().stream().anyMatch(n -> !used.contains(n.id()));
    }

    /**
     * The planner passes over moves whose delta cannot beat the best found so far, judged by a lower bound from each
     * goal: the source's part of the delta plus a bound on any destination's part. A bound above a real delta would
     * drop the best move, so every goal's bound is checked against every move on random placements, as they stand
     * and after random moves.
     */
    @Property(tries = 60)
    void everyGoalsDeltaBoundIsAtMostTheDeltaOfEveryMove(@ForAll("clusters") RandomClusters.Spec spec) {
        Placement p = new Placement(RandomClusters.generate(spec));
        List<GoalRule> rules = PlannerSettings.DEFAULTS.goals().stream().map(g -> GoalRule.of(g, p, PlannerSettings.DEFAULTS)).toList();
        Random random = new Random(spec.seed());
        for (int round = 0; round < 3; round++) {
            rules.forEach(GoalRule::refresh);
            List<Candidate> moves = new ArrayList<>();
            for (int from = 0; from < p.nodes(); from++) {
                for (int held = 0; held < p.onNode[from].size(); held++) {
                    long key = p.onNode[from].get(held);
                    for (int to = 0; to < p.nodes(); to++) {
                        if (to != from && p.receives[to] && !p.holds(to, Placement.shardOf(key))) {
                            moves.add(new Candidate(Placement.shardOf(key), Placement.slotOf(key), from, to));
                        }
                    }
                }
            }
            for (GoalRule rule : rules) {
                for (Candidate c : moves) {
                    double bound = rule.sourceDelta(c.shard(), c.slot(), c.from()) + rule.destinationDeltaBound(c.to());
                    assertTrue(bound <= rule.delta(c) + 1e-12, () -> rule.goal + ": bound " + bound + " above the delta "
                            + rule.delta(c) + " of " + c);
                }
            }
            if (!moves.isEmpty()) {
                Candidate c = moves.get(random.nextInt(moves.size()));
                p.move(c.shard(), c.slot(), c.to(), () -> "random", 0);
            }
        }
    }

    @Property(tries = 150)
    void hardGoalsHoldAfterAFeasiblePlan(@ForAll("clusters") RandomClusters.Spec spec) {
        Plan plan = planner.plan(RandomClusters.generate(spec));
        Assume.that(plan.status() != Plan.Status.INFEASIBLE);
        for (Plan.GoalFigure goal : plan.goals()) {
            assertTrue(!goal.hard() || goal.satisfied(), () -> goal + " in " + plan);
        }
        Plan replayed = planner.plan(PlanApplication.apply(RandomClusters.generate(spec), plan));
        for (Plan.GoalFigure goal : replayed.goals()) {
            assertTrue(!goal.hard() || goal.satisfied(), () -> "after applying: " + goal);
        }
    }

    // a fifth of random clusters end with every node in the band; the rest are discarded
    @Property(tries = 200, maxDiscardRatio = 20)
    void aPlanThatReachesTheBandCostsAtLeastTheLowerBound(@ForAll("clusters") RandomClusters.Spec spec) {
        Cluster cluster = RandomClusters.generate(spec);
        Plan plan = planner.plan(cluster);
        PlanBounds.Quality after = PlanBounds.quality(PlanApplication.apply(cluster, plan), PlannerSettings.DEFAULTS);
        Assume.that(plan.status() == Plan.Status.PLANNED && after.nodesOutsideBand() == 0 && after.maxUtil() <= 0.8);
        PlanBounds.Cost bound = PlanBounds.lowerBound(cluster, PlannerSettings.DEFAULTS);
        assertTrue(plan.moves().size() >= bound.moves(), () -> plan.moves().size() + " moves < bound " + bound);
        assertTrue(plan.bytesMoved() >= bound.bytes(), () -> plan.bytesMoved() + " bytes < bound " + bound);
    }

    @Property(tries = 150)
    void noGoalMakesItsOwnFigureWorse(@ForAll("clusters") RandomClusters.Spec spec, @ForAll Goal goal) {
        // each goal alone (drain is always first): its own moves never make its figure worse
        Planner alone = new Planner(PlannerSettings.DEFAULTS.withGoals(List.of(new PlannerSettings.GoalSpec(goal, false))));
        Plan plan = alone.plan(RandomClusters.generate(spec));
        Plan.GoalFigure figure = plan.figure(goal);
        assertTrue(figure.after() <= figure.before() + 1e-9, () -> figure + " got worse");
    }

    @Property(tries = 150)
    void aLowerGoalNeverMakesAHigherUnmetGoalWorse(@ForAll("clusters") RandomClusters.Spec spec) {
        Plan plan = planner.plan(RandomClusters.generate(spec));
        Assume.that(plan.status() == Plan.Status.PLANNED);
        // resource-distribution is the first soft goal: only hard goals above it, which are met, may move it
        Plan.GoalFigure spread = plan.figure(Goal.RESOURCE_DISTRIBUTION);
        Plan.GoalFigure rack = plan.figure(Goal.RACK_AWARE);
        Plan.GoalFigure capacity = plan.figure(Goal.CAPACITY);
        Assume.that(rack.before() == 0 && capacity.before() <= PlannerSettings.DEFAULTS.capacityThreshold());
        assertTrue(spread.satisfied() || spread.after() <= spread.before() + 1e-9, () -> spread + " got worse");
    }

    @Property(tries = 150)
    void applyingAPlanThenReplanningGivesAnEmptyPlan(@ForAll("clusters") RandomClusters.Spec spec) {
        Cluster cluster = RandomClusters.generate(spec);
        // a cluster with an empty node is a join: see addingNodesMovesNothingBetweenExistingNodes
        Assume.that(!hasEmptyNode(cluster));
        Plan plan = planner.plan(cluster);
        Assume.that(plan.status() != Plan.Status.INFEASIBLE);
        Plan again = planner.plan(PlanApplication.apply(cluster, plan));
        assertEquals(List.of(), again.moves(), () -> "first plan: " + plan.moves().size() + " moves, " + plan.goals());
        assertTrue(again.status() == Plan.Status.EMPTY);
    }

    @Property(tries = 100)
    void aBalancedClusterGetsAnEmptyPlanWithNoTrigger(@ForAll("clusters") RandomClusters.Spec spec) {
        Cluster cluster = RandomClusters.generate(spec);
        Plan plan = planner.plan(cluster);
        Assume.that(plan.status() != Plan.Status.INFEASIBLE && plan.goals().stream().allMatch(Plan.GoalFigure::satisfied));
        Plan again = planner.plan(PlanApplication.apply(cluster, plan));
        assertEquals(Plan.Status.EMPTY, again.status());
        assertNull(again.trigger());
    }

    @Property(tries = 100)
    void addingNodesMovesNothingBetweenExistingNodes(@ForAll("clusters") RandomClusters.Spec spec,
                                                     @ForAll("newNodes") int added) {
        Cluster cluster = RandomClusters.generate(spec);
        Plan plan = planner.plan(cluster);
        Assume.that(plan.status() != Plan.Status.INFEASIBLE && !hasEmptyNode(cluster));
        Cluster balanced = PlanApplication.apply(cluster, plan);
        List<Node> nodes = new ArrayList<>(balanced.nodes());
        Node template = nodes.get(0);
        for (int i = 0; i < added; i++) {
            nodes.add(new Node("new-" + i, template.rack(), NodeState.JOINING, template.capacity()));
        }
        Plan join = planner.plan(new Cluster(balanced.id(), nodes, balanced.shards()));
        assertTrue(join.moves().stream().allMatch(m -> m.to().startsWith("new-")), () -> join.moves().toString());
    }

    @Provide
    Arbitrary<Integer> newNodes() {
        return Arbitraries.integers().between(1, 3);
    }

    @Property(tries = 60)
    void anUnsatisfiableHardGoalGivesInfeasible(@ForAll("clusters") RandomClusters.Spec spec) {
        RandomClusters.Spec full = new RandomClusters.Spec(spec.nodes(), spec.shards(), spec.replicas(), spec.racks(),
                spec.skew(), 0.85 + spec.fill() / 10, spec.bias(), spec.seed());
        Plan plan = planner.plan(RandomClusters.generate(full));
        assertEquals(Plan.Status.INFEASIBLE, plan.status());
        assertEquals("capacity", plan.violatedGoal());
        assertEquals(List.of(), plan.moves());
    }

    @Property(tries = 60)
    void theSameModelInAnyOrderGivesTheSamePlan(@ForAll("clusters") RandomClusters.Spec spec) {
        Cluster cluster = RandomClusters.generate(spec);
        List<Node> nodes = new ArrayList<>(cluster.nodes());
        List<Shard> shards = new ArrayList<>(cluster.shards());
        Collections.shuffle(nodes, new Random(spec.seed()));
        Collections.shuffle(shards, new Random(spec.seed() + 1));
        assertEquals(planner.plan(cluster), planner.plan(new Cluster(cluster.id(), nodes, shards)));
    }

    @Property(tries = 100)
    void thePlanIsTheDifferenceBetweenInitialAndFinalPlacement(@ForAll("clusters") RandomClusters.Spec spec) {
        Cluster cluster = RandomClusters.generate(spec);
        Plan plan = planner.plan(cluster);
        Map<String, Shard> initial = cluster.shards().stream().collect(Collectors.toMap(Shard::id, s -> s));
        for (Plan.Move move : plan.moves()) {
            Set<String> was = initial.get(move.shard()).replicas().stream().map(Replica::node).collect(Collectors.toSet());
            // nothing is undone within a plan: a move starts where the shard was and ends where it was not
            assertTrue(was.contains(move.from()) && !was.contains(move.to()), () -> move.toString());
        }
        long distinct = plan.moves().stream().map(m -> m.shard() + "/" + m.from()).distinct().count();
        assertEquals(plan.moves().size(), distinct);
    }
}
