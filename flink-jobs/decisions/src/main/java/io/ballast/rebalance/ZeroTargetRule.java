package io.ballast.rebalance;

/** A goal whose figure is a count of violations that a move changes by exactly its delta; met at zero. */
abstract class ZeroTargetRule extends GoalRule {
    ZeroTargetRule(Goal goal, boolean hard, Placement p) {
        super(goal, hard, p);
    }

    @Override
    final boolean satisfied() {
        return figure() == 0;
    }

    @Override
    final double figureAfter(Candidate c) {
        return figure() + delta(c);
    }

    @Override
    final boolean satisfiedAfter(Candidate c) {
        return figureAfter(c) == 0;
    }
}
