package io.ballast.rebalance;

import java.util.Map;
import java.util.TreeMap;

/**
 * How reports make a cluster's model, wherever the reports are kept (the job's keyed state, or a map when an audit
 * re-derives plans): the latest report on a node or a shard by event time wins, an older one arriving later changes
 * nothing; a finished move puts the replica where it went, at the time of the shard's report, until the shard's next
 * report says otherwise; an executor's progress report moves the plan in force ({@link ClusterModel#progress}).
 */
public final class ClusterReports {
    /** A node as last reported, and when. */
    public record NodeReport(Node node, long at) {
    }

    /** A shard as last reported (or as a finished move left it), and when. */
    public record ShardReport(Shard shard, long at) {
    }

    /** Where the reports are kept. */
    public interface Store {
        NodeReport node(String id) throws Exception;

        void put(NodeReport report) throws Exception;

        ShardReport shard(String id) throws Exception;

        void put(ShardReport report) throws Exception;
    }

    private ClusterReports() {
    }

    /** Keeps a node's report unless a later one is kept; false when it is older (superseded). */
    public static boolean report(Store store, Node node, long at) throws Exception {
        NodeReport known = store.node(node.id());
        if (known != null && known.at() > at) {
            return false;
        }
        store.put(new NodeReport(node, at));
        return true;
    }

    /** Keeps a shard's report unless a later one is kept; false when it is older (superseded). */
    public static boolean report(Store store, Shard shard, long at) throws Exception {
        ShardReport known = store.shard(shard.id());
        if (known != null && known.at() > at) {
            return false;
        }
        store.put(new ShardReport(shard, at));
        return true;
    }

    /**
     * Folds an executor's report into {@code inForce} (the plan in force, with the shard it names as kept) and keeps the
     * moved shard; returns the new model, or throws {@link IllegalArgumentException} when the report does not fit.
     */
    public static ClusterModel progress(Store store, ClusterModel inForce, ClusterModel.Progress progress, String planId, String shard,
                                        String from, String to) throws Exception {
        ShardReport moved = shard == null ? null : store.shard(shard);
        ClusterModel touched = moved == null ? inForce : inForce.with(moved.shard());
        ClusterModel next = touched.progress(progress, planId, shard, from, to);
        if (moved != null) {
            store.put(new ShardReport(next.shards().get(shard), moved.at()));
        }
        return next;
    }

    /** An in-memory store, for audits and tests. */
    public static final class InMemory implements Store {
        private final Map<String, NodeReport> nodes = new TreeMap<>();
        private final Map<String, ShardReport> shards = new TreeMap<>();

        @Override
        public NodeReport node(String id) {
            return nodes.get(id);
        }

        @Override
        public void put(NodeReport report) {
            nodes.put(report.node().id(), report);
        }

        @Override
        public ShardReport shard(String id) {
            return shards.get(id);
        }

        @Override
        public void put(ShardReport report) {
            shards.put(report.shard().id(), report);
        }

        /** The model of these reports with {@code inForce}'s plan. */
        public ClusterModel model(ClusterModel inForce) {
            Map<String, Node> n = new TreeMap<>();
            nodes.forEach((id, r) -> n.put(id, r.node()));
            Map<String, Shard> s = new TreeMap<>();
            shards.forEach((id, r) -> s.put(id, r.shard()));
            return new ClusterModel(inForce.cluster(), n, s, inForce.active(), inForce.carried(), inForce.lastFingerprint());
        }
    }
}
