package io.ballast.rebalance;

import java.util.ArrayList;
import java.util.List;

import io.ballast.events.NodeMembership;
import io.ballast.events.ShardLoad;

/** The rebalancer's input events in the decision classes' terms: the job and the audit read them the same way. */
public final class RebalanceEvents {
    private RebalanceEvents() {
    }

    public static Node node(NodeMembership event) {
        return new Node(event.getNode(), event.getRack(), NodeState.valueOf(event.getState().name()), event.getCapacity());
    }

    public static Shard shard(ShardLoad event) {
        List<Replica> replicas = new ArrayList<>();
        event.getReplicas().forEach(r -> replicas.add(new Replica(r.getNode(), r.getLeader())));
        return new Shard(event.getShard(), replicas, event.getSizeBytes(), event.getLoad());
    }
}
