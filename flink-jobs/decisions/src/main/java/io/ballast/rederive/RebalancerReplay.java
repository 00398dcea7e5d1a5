package io.ballast.rederive;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

import io.ballast.events.Action;
import io.ballast.events.NodeMembership;
import io.ballast.events.RebalancePlan;
import io.ballast.events.ShardLoad;
import io.ballast.rebalance.Cluster;
import io.ballast.rebalance.ClusterDigest;
import io.ballast.rebalance.ClusterModel;
import io.ballast.rebalance.ClusterReports;
import io.ballast.rebalance.InputPosition;
import io.ballast.rebalance.Plan;
import io.ballast.rebalance.PlanRecords;
import io.ballast.rebalance.Planner;
import io.ballast.rebalance.PlannerSettings;
import io.ballast.rebalance.RebalanceEvents;
import io.ballast.rebalance.RebalanceValidation;
import org.apache.avro.specific.SpecificRecord;

/**
 * The rebalancer's planner over the archived node, shard and progress reports, against the recorded plans. Each plan
 * records the last record it read of every input partition: the audit rebuilds the model from exactly the archived
 * records up to those offsets (those the job refused or dead-lettered left out, as the job left them), checks its digest
 * against the plan's, plans it and compares. A plan recorded before plans said what they were made of is rebuilt
 * from the reports up to its time, and said so.
 */
public final class RebalancerReplay implements DecisionReplay {
    private static final String JOB = "ballast-rebalancer";
    private final Planner planner;

    RebalancerReplay() {
        this(PlannerSettings.DEFAULTS);
    }

    RebalancerReplay(PlannerSettings settings) {
        this.planner = new Planner(settings);
    }

    /** An archived input: where it was read, when it happened, and the event. */
    private record Archived(String cluster, InputPosition origin, Instant at, Object event) {
    }

    @Override
    public String name() {
        return "rebalancer";
    }

    @Override
    public Set<Class<? extends SpecificRecord>> inputTypes() {
        return Set.of(NodeMembership.class, ShardLoad.class, Action.class);
    }

    @Override
    public Class<? extends SpecificRecord> decisionType() {
        return RebalancePlan.class;
    }

    /** Keeps the cluster's reports and plans (few: reports of nodes and shards, not samples) and plans each cluster at the end. */
    @Override
    public Run start(Consumer<Outcome> outcomes) {
        Map<String, List<Archived>> byCluster = new TreeMap<>();
        Map<String, List<RebalancePlan>> plans = new TreeMap<>();
        return new Run() {
            @Override
            public void input(ArchivedEvent e) {
                Archived a = archived(e);
                if (a != null) {
                    byCluster.computeIfAbsent(a.cluster(), c -> new ArrayList<>()).add(a);
                }
            }

            @Override
            public void recorded(ArchivedEvent e) {
                RebalancePlan p = (RebalancePlan) e.event();
                plans.computeIfAbsent(p.getCluster(), c -> new ArrayList<>()).add(p);
            }

            @Override
            public void finish() {
                plans.forEach((cluster, ps) -> {
                    ps.sort(Comparator.comparing(p -> p.getEnvelope().getOccurredAt()));
                    List<Archived> reports = byCluster.getOrDefault(cluster, new ArrayList<>());
                    // the order the job reads each partition in; within a time, a partition's later record last
                    reports.sort(Comparator.comparing(Archived::at).thenComparing(a -> a.origin().topic())
                            .thenComparingLong(a -> a.origin().offset()));
                    cluster(cluster, reports, ps).forEach(outcomes);
                });
            }
        };
    }

    private List<Outcome> cluster(String cluster, List<Archived> reports, List<RebalancePlan> recorded) {
        List<Outcome> outcomes = new ArrayList<>();
        ClusterReports.InMemory store = new ClusterReports.InMemory();
        ClusterModel inForce = ClusterModel.empty(cluster);
        boolean[] folded = new boolean[reports.size()];
        for (RebalancePlan rec : recorded) {
            Instant at = rec.getEnvelope().getOccurredAt();
            Map<String, Long> read = new HashMap<>();
            rec.getInputPositions().forEach(p -> read.put(p.getTopic() + ":" + p.getPartition(), p.getOffset()));
            for (int i = 0; i < reports.size(); i++) {
                Archived a = reports.get(i);
                boolean planned = read.isEmpty() ? !a.at().isAfter(at) : a.origin().offset() <= read.getOrDefault(a.origin().partitionKey(), -1L);
                if (!folded[i] && planned) {
                    folded[i] = true;
                    inForce = fold(store, inForce, a);
                }
            }
            Cluster view = store.model(inForce).planningView();
            String digest = ClusterDigest.of(view);
            Plan plan;
            try {
                plan = planner.plan(view);
            } catch (RuntimeException e) {
                outcomes.add(new Outcome(cluster, at.toString(), rec.getPlanId(), false, explain(rec),
                        "the rebuilt model cannot be planned: " + e.getMessage()));
                continue;
            }
            RebalancePlan again = PlanRecords.toEvent(plan, rec.getPlanId(), at, JOB, positions(rec), rec.getModelDigest());
            if (rec.getModelDigest() != null && !rec.getModelDigest().equals(digest)) {
                outcomes.add(new Outcome(cluster, at.toString(), rec.getPlanId(), false, explain(rec) + " (model " + rec.getModelDigest() + ")",
                        explain(again) + " (model " + digest + ": the archive up to the plan's offsets is not the model it planned on)"));
            } else {
                outcomes.add(new Outcome(cluster, at.toString(), rec.getPlanId(), again.equals(rec), explain(rec), explain(again)
                        + (read.isEmpty() ? " (the plan records no offsets: rebuilt from the reports up to its time)" : "")));
            }
            inForce = inForce.planned(rec.getPlanId(), plan);
        }
        return outcomes;
    }

    /** Folds one archived report as the job would have; a report the job refused changes nothing. */
    private static ClusterModel fold(ClusterReports.InMemory store, ClusterModel inForce, Archived a) {
        try {
            long at = a.at().toEpochMilli();
            if (a.event() instanceof NodeMembership n) {
                ClusterReports.report(store, RebalanceEvents.node(n), at);
            } else if (a.event() instanceof ShardLoad s) {
                ClusterReports.report(store, RebalanceEvents.shard(s), at);
            } else if (a.event() instanceof Action action) {
                Map<String, String> attrs = action.getAttributes();
                return ClusterReports.progress(store, inForce, RebalanceValidation.progressOf(action.getAction()), attrs.get("planId"),
                        attrs.get("shard"), attrs.get("from"), attrs.get("to"));
            }
            return inForce;
        } catch (IllegalArgumentException e) {
            return inForce;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The archived event as the job reads it, or null: not read from Kafka, not for the rebalancer, or dead-lettered by it. */
    private static Archived archived(ArchivedEvent e) {
        if (e.origin() == null) {
            return null;
        }
        InputPosition position = new InputPosition(e.origin().topic(), e.origin().partition(), e.origin().offset());
        if (e.event() instanceof NodeMembership n) {
            return RebalanceValidation.check(n).isEmpty() ? new Archived(n.getCluster(), position, n.getEnvelope().getOccurredAt(), n) : null;
        }
        if (e.event() instanceof ShardLoad s) {
            return RebalanceValidation.check(s).isEmpty() ? new Archived(s.getCluster(), position, s.getEnvelope().getOccurredAt(), s) : null;
        }
        if (e.event() instanceof Action a) {
            return RebalanceValidation.isProgress(a) && RebalanceValidation.check(a).isEmpty()
                    ? new Archived(a.getTarget(), position, a.getEnvelope().getOccurredAt(), a) : null;
        }
        return null;
    }

    private static List<InputPosition> positions(RebalancePlan plan) {
        return plan.getInputPositions().stream().map(p -> new InputPosition(p.getTopic(), p.getPartition(), p.getOffset())).toList();
    }

    static String explain(RebalancePlan p) {
        StringBuilder s = new StringBuilder(p.getStatus() + " (" + p.getTrigger() + ")");
        if (p.getViolatedGoal() != null) {
            s.append(" violates ").append(p.getViolatedGoal());
        }
        s.append(": ").append(p.getMoves().size()).append(" move(s)");
        p.getMoves().forEach(m -> s.append("; ").append(m.getShard()).append(' ').append(m.getFromNode()).append("->").append(m.getToNode()));
        p.getLeaderChanges().forEach(c -> s.append("; leader of ").append(c.getShard()).append(' ').append(c.getFromNode()).append("->")
                .append(c.getToNode()));
        return s.toString();
    }
}
