package io.ballast.jobs.rebalance;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.ballast.events.Action;
import io.ballast.events.NodeMembership;
import io.ballast.events.ShardLoad;
import io.ballast.rebalance.ClusterModel;
import io.ballast.rebalance.InputPosition;
import io.ballast.rebalance.RebalanceEvents;
import io.ballast.rebalance.RebalanceValidation;
import io.ballast.rebalance.Node;
import io.ballast.rebalance.Shard;

/** One thing the rebalancer learns about a cluster, in the decision classes' terms. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "input")
@JsonSubTypes({
        @JsonSubTypes.Type(value = RebalanceInput.NodeInput.class, name = "node"),
        @JsonSubTypes.Type(value = RebalanceInput.ShardInput.class, name = "shard"),
        @JsonSubTypes.Type(value = RebalanceInput.ProgressInput.class, name = "progress")})
public sealed interface RebalanceInput {
    String cluster();

    Instant at();

    /** Where it was read (null where it was not read from Kafka). */
    InputPosition position();

    /** A node's membership and capacity. */
    record NodeInput(String cluster, Node node, Instant at, InputPosition position) implements RebalanceInput {
    }

    /** A shard's placement, size and load. */
    record ShardInput(String cluster, Shard shard, Instant at, InputPosition position) implements RebalanceInput {
    }

    /** An executor's report on a plan: started, a move done, aborted, completed. */
    record ProgressInput(String cluster, ClusterModel.Progress progress, String planId, String shard, String from, String to,
                         Instant at, InputPosition position) implements RebalanceInput {
    }

    static RebalanceInput of(NodeMembership event, InputPosition position) {
        return new NodeInput(event.getCluster(), RebalanceEvents.node(event), event.getEnvelope().getOccurredAt(), position);
    }

    static RebalanceInput of(ShardLoad event, InputPosition position) {
        return new ShardInput(event.getCluster(), RebalanceEvents.shard(event), event.getEnvelope().getOccurredAt(), position);
    }

    /** An executor's report (a rebalance.* action), or null for any other action: ballast.actions carries every kind. */
    static RebalanceInput of(Action action, InputPosition position) {
        if (!RebalanceValidation.isProgress(action)) {
            return null;
        }
        Map<String, String> a = action.getAttributes();
        return new ProgressInput(action.getTarget(), RebalanceValidation.progressOf(action.getAction()), a.get("planId"), a.get("shard"),
                a.get("from"), a.get("to"), action.getEnvelope().getOccurredAt(), position);
    }
}
