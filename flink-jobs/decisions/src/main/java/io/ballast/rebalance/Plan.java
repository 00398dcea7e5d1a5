package io.ballast.rebalance;

import java.util.List;

/**
 * What the planner decided for a cluster.
 *
 * @param trigger      what made the cluster need a plan; null when every goal was met
 * @param moves        the difference between the initial and the final placement, phase by phase
 * @param goals        each goal's figure before and after the moves
 * @param violatedGoal for {@link Status#INFEASIBLE}: the hard goal no plan can meet
 * @param explanation  one line a human can read: why this outcome
 */
public record Plan(String cluster, Status status, Trigger trigger, List<Move> moves, List<GoalFigure> goals,
                   String violatedGoal, String explanation) {
    public Plan {
        moves = List.copyOf(moves);
        goals = List.copyOf(goals);
    }

    /** The outcome of planning. */
    public enum Status { PLANNED, EMPTY, INFEASIBLE }

    /** What made the cluster need a plan. */
    public enum Trigger { OVER_CAPACITY, SPREAD, NODE_JOINED, NODE_LEFT, NODE_DRAINING, SHARDS_ADDED, MANUAL, RACK_AWARENESS }

    /** One replica of a shard copied from one node to another; moves of one phase run together. */
    public record Move(String shard, String from, String to, long bytes, int phase, String reason) {
    }

    /** A goal's figure before and after the plan, and whether it is met after. */
    public record GoalFigure(String goal, boolean hard, double before, double after, boolean satisfied) {
    }

    public long bytesMoved() {
        return moves.stream().mapToLong(Move::bytes).sum();
    }

    public int phases() {
        return moves.stream().mapToInt(Move::phase).max().orElse(0);
    }

    public GoalFigure figure(Goal goal) {
        return goals.stream().filter(g -> g.goal().equals(goal.id())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the plan has no figure for " + goal.id()));
    }
}
