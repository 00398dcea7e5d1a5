package io.ballast.rebalance;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the planner pursues and how plans execute.
 *
 * @param goals                     the goals in priority order, each hard (a plan that cannot meet it is
 *                                  INFEASIBLE) or soft (pursued as far as possible); {@code drain} is
 *                                  always first and hard, listed or not
 * @param capacityThreshold         the share of a node's capacity it may use on any resource (0.8)
 * @param balanceTrigger            a node further than this factor from the mean (above mean × 1.10 or
 *                                  below mean × 0.90) triggers a plan
 * @param balanceTarget             a plan balances into this tighter band (1.09), so a freshly balanced
 *                                  cluster does not trigger again
 * @param maxConcurrentMovesPerNode moves a node takes part in (as source or destination) per phase
 * @param maxBytesPerPhase          bytes moved per phase; a larger single move gets a phase of its own
 */
public record PlannerSettings(List<GoalSpec> goals, double capacityThreshold, double balanceTrigger,
                              double balanceTarget, int maxConcurrentMovesPerNode, long maxBytesPerPhase)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A goal and whether it is hard. */
    public record GoalSpec(Goal goal, boolean hard) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    public static final PlannerSettings DEFAULTS = new PlannerSettings(List.of(
            new GoalSpec(Goal.DRAIN, true),
            new GoalSpec(Goal.RACK_AWARE, true),
            new GoalSpec(Goal.CAPACITY, true),
            new GoalSpec(Goal.RESOURCE_DISTRIBUTION, false),
            new GoalSpec(Goal.REPLICA_DISTRIBUTION, false),
            new GoalSpec(Goal.LEADER_DISTRIBUTION, false)),
            0.8, 1.10, 1.09, 2, 50L * 1024 * 1024 * 1024);

    public PlannerSettings {
        goals = withDrainFirst(goals);
        List<String> problems = new ArrayList<>();
        if (!(capacityThreshold > 0 && capacityThreshold <= 1)) {
            problems.add("capacityThreshold is " + capacityThreshold + "; it must be in (0, 1]");
        }
        if (!(balanceTarget >= 1)) {
            problems.add("balanceTarget is " + balanceTarget + "; it must be >= 1");
        }
        if (!(balanceTrigger > balanceTarget && balanceTrigger < 2)) {
            problems.add("balanceTrigger is " + balanceTrigger + "; it must be above balanceTarget (" + balanceTarget
                    + ") and below 2, so that a balanced cluster does not trigger again");
        }
        if (maxConcurrentMovesPerNode < 1) {
            problems.add("maxConcurrentMovesPerNode is " + maxConcurrentMovesPerNode + "; it must be >= 1");
        }
        if (maxBytesPerPhase < 1) {
            problems.add("maxBytesPerPhase is " + maxBytesPerPhase + "; it must be >= 1");
        }
        if (!problems.isEmpty()) {
            throw new InvalidClusterException(problems);
        }
    }

    private static List<GoalSpec> withDrainFirst(List<GoalSpec> goals) {
        List<GoalSpec> ordered = new ArrayList<>();
        ordered.add(new GoalSpec(Goal.DRAIN, true));
        Set<Goal> seen = new HashSet<>(Set.of(Goal.DRAIN));
        for (GoalSpec spec : goals) {
            if (!seen.add(spec.goal()) && spec.goal() != Goal.DRAIN) {
                throw new InvalidClusterException(List.of("goal " + spec.goal().id() + " is listed twice"));
            }
            if (spec.goal() != Goal.DRAIN) {
                ordered.add(spec);
            }
        }
        return List.copyOf(ordered);
    }

    public PlannerSettings withGoals(List<GoalSpec> newGoals) {
        return new PlannerSettings(newGoals, capacityThreshold, balanceTrigger, balanceTarget, maxConcurrentMovesPerNode,
                maxBytesPerPhase);
    }
}
