package io.ballast.jobs.rebalance;

import io.ballast.rebalance.Node;
import io.ballast.rebalance.Shard;

/** The latest report on one node or shard and its event time: an older report arriving later does not replace it. */
final class Reported {
    private Reported() {
    }

    /** A node as last reported. */
    record NodeReport(Node node, long at) {
    }

    /** A shard as last reported (or as a finished move left it). */
    record ShardReport(Shard shard, long at) {
    }
}
