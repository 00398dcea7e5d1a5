package io.ballast.rebalance;

import java.util.List;

/**
 * What the planner decided for a cluster.
 *
 * @param trigger      what made the cluster need a plan; null when every goal was met
 * @param moves        the difference between the initial and the final placement, phase by phase
 * @param leaderChanges leadership handed between replicas once the moves are done: when the replica that
 *                     led a shard moved, the moves alone cannot say which remaining replica leads it
 * @param goals        each goal's figure before and after the moves
 * @param violatedGoal for {@link Status#INFEASIBLE}: the hard goal no plan can meet
 * @param explanation  one line a human can read: why this outcome
 */
public record Plan(String cluster, Status status, Trigger trigger, List<Move> moves, List<LeaderChange> leaderChanges,
                   List<GoalFigure> goals, String violatedGoal, String explanation) {
    public Plan {
        moves = List.copyOf(moves);
        leaderChanges = List.copyOf(leaderChanges);
        goals = List.copyOf(goals);
    }

    /** The outcome of planning. */
    public enum Status { PLANNED, EMPTY, INFEASIBLE }

    /** What made the cluster need a plan. */
    public enum Trigger { OVER_CAPACITY, SPREAD, NODE_JOINED, NODE_LEFT, NODE_DRAINING, SHARDS_ADDED, MANUAL, RACK_AWARENESS }

    /** One replica of a shard copied from one node to another; moves of one phase run together. */
    public record Move(String shard, String from, String to, long bytes, int phase, String reason) {
    }

    /** Leadership of a shard handed from one of its replicas to another; no data moves. */
    public record LeaderChange(String shard, String from, String to) {
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
