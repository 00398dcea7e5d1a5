package io.ballast.rebalance;

import java.util.Optional;

/** No replica on a DRAINING or LEFT node. */
final class DrainRule extends ZeroTargetRule {
    DrainRule(boolean hard, Placement p) {
        super(Goal.DRAIN, hard, p);
    }

    @Override
    double computeFigure() {
        int stranded = 0;
        for (int n = 0; n < p.nodes(); n++) {
            stranded += p.receives[n] ? 0 : p.replicas[n];
        }
        return stranded;
    }

    @Override
    double delta(Candidate c) {
        return (p.receives[c.from()] ? 0 : -1) + (p.receives[c.to()] ? 0 : 1);
    }

    @Override
    int[] sources() {
        return java.util.stream.IntStream.range(0, p.nodes()).filter(n -> !p.receives[n] && p.replicas[n] > 0).toArray();
    }

    @Override
    String reason(Candidate c) {
        return "drain: " + p.nodeId[c.from()] + " is " + p.state[c.from()];
    }

    @Override
    Optional<String> impossibility() {
        for (int s = 0; s < p.shards(); s++) {
            if (p.slotNode[s].length > p.receivingNodes) {
                return Optional.of("shard " + p.shardId[s] + " has " + p.slotNode[s].length + " replicas but only "
                        + p.receivingNodes + " nodes can hold replicas");
            }
        }
        return Optional.empty();
    }
}
