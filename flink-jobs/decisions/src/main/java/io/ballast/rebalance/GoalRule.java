package io.ballast.rebalance;

import java.util.List;
import java.util.Optional;

/**
 * A goal at work on a {@link Placement}: its figure, whether it is met, how a candidate move changes
 * both, and its excess (the distance to its target, which every move it makes strictly reduces, so its
 * optimisation terminates).
 */
abstract class GoalRule {
    static final double EPS = 1e-9;

    final Goal goal;
    final boolean hard;
    final Placement p;
    private double figure;

    GoalRule(Goal goal, boolean hard, Placement p) {
        this.goal = goal;
        this.hard = hard;
        this.p = p;
    }

    static GoalRule of(PlannerSettings.GoalSpec spec, Placement p, PlannerSettings settings) {
        return switch (spec.goal()) {
            case DRAIN -> new DrainRule(spec.hard(), p);
            case RACK_AWARE -> new RackRule(spec.hard(), p);
            case CAPACITY -> new CapacityRule(spec.hard(), p, settings.capacityThreshold());
            case RESOURCE_DISTRIBUTION -> new ResourceBalanceRule(spec.hard(), p, settings);
            case REPLICA_DISTRIBUTION -> new CountBalanceRule(Goal.REPLICA_DISTRIBUTION, spec.hard(), p, settings);
            case LEADER_DISTRIBUTION -> new CountBalanceRule(Goal.LEADER_DISTRIBUTION, spec.hard(), p, settings);
        };
    }

    /** Computes the cached figure from scratch. */
    final void refresh() {
        figure = computeFigure();
    }

    /** Sets the cached figure to what {@link #figureAfter} said before the move was applied. */
    final void moved(double figureAfterMove) {
        figure = figureAfterMove;
    }

    /** The order in which destinations are tried: least loaded first. */
    double destinationOrder(int node) {
        return p.pressure(node);
    }

    /** Whether trying the first few destinations in {@link #destinationOrder} order is enough. */
    boolean fewDestinationsSuffice() {
        return true;
    }

    final double figure() {
        return figure;
    }

    abstract double computeFigure();

    abstract boolean satisfied();

    abstract double figureAfter(Candidate c);

    abstract boolean satisfiedAfter(Candidate c);

    /** The change of this goal's excess if the candidate were applied; negative is progress. */
    abstract double delta(Candidate c);

    /**
     * The part of {@link #delta} that depends on the replica and its source alone, for a replica of {@code shard} in
     * {@code slot} on {@code from}; with {@link #destinationDeltaBound} a lower bound of its delta onto any
     * destination, which lets the planner pass over a replica none of whose moves can win. Negative infinity (the
     * default) when the goal cannot tell.
     */
    double sourceDelta(int shard, int slot, int from) {
        return Double.NEGATIVE_INFINITY;
    }

    /** A lower bound of the part of {@link #delta} that depends on the destination, whichever replica moves onto {@code to}. */
    double destinationDeltaBound(int to) {
        return Double.NEGATIVE_INFINITY;
    }

    /** The nodes to move replicas off, most urgent first. */
    abstract int[] sources();

    boolean movable(int shard, int slot) {
        return true;
    }

    abstract String reason(Candidate c);

    /** Why no plan can meet this goal, when that can be told without searching. */
    Optional<String> impossibility() {
        return Optional.empty();
    }

    /**
     * A higher goal lets a lower one make a move only if it stays met, or, if unmet, neither its figure
     * nor its excess grows. So a goal's progress is never undone by a lower one, and planning terminates
     * in a placement where no goal can make progress: a fixed point.
     */
    final boolean accepts(Candidate c) {
        // the delta first: cheaper than the figure after the move, and it refuses more
        return satisfied() ? satisfiedAfter(c) : delta(c) <= EPS && figureAfter(c) <= figure + EPS;
    }
}
