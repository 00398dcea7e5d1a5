package io.ballast.rebalance;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import io.ballast.events.Envelope;
import io.ballast.events.GoalFigure;
import io.ballast.events.LeaderChange;
import io.ballast.events.PlanStatus;
import io.ballast.events.RebalancePlan;
import io.ballast.events.RebalanceTrigger;
import io.ballast.events.ShardMove;

/** A {@link Plan} as the event published to ballast.plans.rebalance. */
public final class PlanRecords {
    private PlanRecords() {
    }

    /** The plan's id: the same cluster planned at the same event time always gets the same id. */
    public static String planId(String cluster, Instant at) {
        return UUID.nameUUIDFromBytes(("rebalance|" + cluster + "|" + at.toEpochMilli()).getBytes(StandardCharsets.UTF_8)).toString();
    }

    public static RebalancePlan toEvent(Plan plan, String planId, Instant at, String source) {
        return toEvent(plan, planId, at, source, java.util.List.of(), null);
    }

    /** As above, with what the plan was computed from: the inputs' positions and the digest of the cluster it planned on. */
    public static RebalancePlan toEvent(Plan plan, String planId, Instant at, String source, java.util.List<InputPosition> inputs,
                                        String modelDigest) {
        Envelope envelope = Envelope.newBuilder()
                .setEventId(UUID.fromString(planId))
                .setType("RebalancePlan")
                .setSource(source)
                .setSubject(plan.cluster())
                .setOccurredAt(at)
                .setRecordedAt(at)
                .setCorrelationId(planId)
                .build();
        return RebalancePlan.newBuilder()
                .setEnvelope(envelope)
                .setCluster(plan.cluster())
                .setPlanId(planId)
                .setTrigger(RebalanceTrigger.valueOf((plan.trigger() == null ? Plan.Trigger.MANUAL : plan.trigger()).name()))
                .setStatus(PlanStatus.valueOf(plan.status().name()))
                .setMoves(plan.moves().stream().map(m -> ShardMove.newBuilder().setShard(m.shard()).setFromNode(m.from())
                        .setToNode(m.to()).setBytes(m.bytes()).setPhase(m.phase()).setReason(m.reason()).build()).toList())
                .setGoals(plan.goals().stream().map(g -> GoalFigure.newBuilder().setGoal(g.goal()).setHard(g.hard())
                        .setBefore(g.before()).setAfter(g.after()).setSatisfied(g.satisfied()).build()).toList())
                .setViolatedGoal(plan.violatedGoal())
                .setLeaderChanges(plan.leaderChanges().stream().map(c -> LeaderChange.newBuilder().setShard(c.shard())
                        .setFromNode(c.from()).setToNode(c.to()).build()).toList())
                .setInputPositions(inputs.stream().map(p -> io.ballast.events.InputPosition.newBuilder().setTopic(p.topic())
                        .setPartition(p.partition()).setOffset(p.offset()).build()).toList())
                .setModelDigest(modelDigest)
                .build();
    }
}
