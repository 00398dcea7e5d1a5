package io.ballast.jobs.rebalance;

import java.util.List;
import java.util.Map;

import io.ballast.rebalance.ClusterModel;
import io.ballast.rebalance.Node;
import io.ballast.rebalance.Shard;

/**
 * The part of a cluster's model that is not a node or a shard: the plan handed to the executor and the
 * fingerprint of the last plan emitted. Kept apart from the per-node and per-shard entries so that a
 * load report rewrites one small entry, not the whole model.
 *
 * @param active          the last plan emitted with its progress, or null
 * @param carried         moves of earlier started plans still in flight
 * @param lastFingerprint what the last emitted plan decided, or null
 */
record PlanInForce(ClusterModel.ActivePlan active, List<ClusterModel.CarriedMove> carried, String lastFingerprint) {
    static final PlanInForce NONE = new PlanInForce(null, List.of(), null);

    static PlanInForce of(ClusterModel model) {
        return new PlanInForce(model.active(), model.carried(), model.lastFingerprint());
    }

    ClusterModel model(String cluster, Map<String, Node> nodes, Map<String, Shard> shards) {
        return new ClusterModel(cluster, nodes, shards, active, carried, lastFingerprint);
    }
}
