package io.ballast.jobs.rebalance;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.ballast.autoscale.StateJson;
import io.ballast.events.RebalancePlan;
import io.ballast.jobs.autoscale.RejectedInput;
import io.ballast.jobs.state.JsonStateTypeInfo;
import io.ballast.rebalance.Cluster;
import io.ballast.rebalance.ClusterDigest;
import io.ballast.rebalance.ClusterModel;
import io.ballast.rebalance.ClusterReports;
import io.ballast.rebalance.InputPosition;
import io.ballast.rebalance.InvalidClusterException;
import io.ballast.rebalance.Node;
import io.ballast.rebalance.Plan;
import io.ballast.rebalance.PlanRecords;
import io.ballast.rebalance.PlanSchedule;
import io.ballast.rebalance.Planner;
import io.ballast.rebalance.PlannerSettings;
import io.ballast.rebalance.Shard;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one cluster's model and plans it when its inputs go quiet ({@link PlanSchedule} says when). The model is an
 * entry per node and per shard (the latest report by event time wins; an older one arriving later is counted as
 * superseded) and the plan in force. An input read after a planning it belonged in (its source was idle and the
 * watermark passed it) asks for a plan again a quiet period of the clock later. A plan is emitted only when it differs
 * from the last one; moves of a started plan that are not done are in flight, and the planner sees them as made.
 *
 * <p>Planning runs off the operator thread: a due plan takes a snapshot of the model (with the input positions and
 * digest it records) to a planning thread, and a processing-time timer every {@link #POLL_MILLIS} picks the result up
 * on the operator thread, where it is emitted and the plan in force updated. So records and checkpoint barriers keep
 * flowing while a large cluster is planned. The plan in flight is in the keyed state ({@code planning}); after a
 * restore its poll timer finds no planning under way and plans that snapshot's model again. A plan due while another
 * of the same cluster is in flight waits for it ({@code queued}), then is made on the model as it is then.
 */
public final class RebalancerFunction extends KeyedProcessFunction<String, RebalanceInput, RebalancePlan> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RebalancerFunction.class);

    public static final OutputTag<RejectedInput> REJECTED = new OutputTag<>("rejected", new JsonStateTypeInfo<>(RejectedInput.class));

    /** How often the operator thread looks for a finished plan. */
    static final long POLL_MILLIS = 25;

    private final PlannerSettings settings;
    private final PlanningThreads threads;
    private final long quietMillis;
    private final long maxDelayMillis;
    private transient MapState<String, Reported.NodeReport> nodes;
    private transient MapState<String, Reported.ShardReport> shards;
    private transient ValueState<PlanInForce> planInForce;
    private transient ValueState<Long> due;
    private transient ValueState<Long> pendingSince;
    private transient ValueState<Long> latestInput;
    private transient ValueState<Long> lastPlanned;
    private transient MapState<String, Long> positions;
    private transient ClusterReports.Store reports;
    private transient ValueState<Long> replanAt;
    private transient ValueState<Long> planning;
    private transient ValueState<Long> queued;
    private transient ExecutorService planner;
    /** The plans under way, by cluster: not state, a restore plans again (see the class doc). */
    private transient Map<String, PlanInFlight> inFlight;
    private transient Counter lateInputs;
    private transient Counter superseded;
    private transient Counter plansEmitted;
    private transient volatile long lastPlanMillis;

    public RebalancerFunction(PlannerSettings settings, Duration quietPeriod, Duration maxDelay) {
        this(settings, quietPeriod, maxDelay, PlanningThreads.ONE);
    }

    RebalancerFunction(PlannerSettings settings, Duration quietPeriod, Duration maxDelay, PlanningThreads threads) {
        this.settings = settings;
        this.threads = threads;
        this.quietMillis = quietPeriod.toMillis();
        this.maxDelayMillis = maxDelay.toMillis();
    }

    @Override
    public void open(OpenContext context) {
        planner = threads.start("ballast-rebalancer-planner-" + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask());
        inFlight = new HashMap<>();
        // one entry per node and per shard: a load report rewrites its shard's entry, not the whole model
        nodes = getRuntimeContext().getMapState(new MapStateDescriptor<>("nodes", Types.STRING,
                new JsonStateTypeInfo<>(Reported.NodeReport.class)));
        shards = getRuntimeContext().getMapState(new MapStateDescriptor<>("shards", Types.STRING,
                new JsonStateTypeInfo<>(Reported.ShardReport.class)));
        planInForce = getRuntimeContext().getState(new ValueStateDescriptor<>("plan-in-force", new JsonStateTypeInfo<>(PlanInForce.class)));
        due = getRuntimeContext().getState(new ValueStateDescriptor<>("due", Types.LONG));
        pendingSince = getRuntimeContext().getState(new ValueStateDescriptor<>("pending-since", Types.LONG));
        latestInput = getRuntimeContext().getState(new ValueStateDescriptor<>("latest-input", Types.LONG));
        lastPlanned = getRuntimeContext().getState(new ValueStateDescriptor<>("last-planned", Types.LONG));
        positions = getRuntimeContext().getMapState(new MapStateDescriptor<>("input-positions", Types.STRING, Types.LONG));
        reports = new StateReports();
        replanAt = getRuntimeContext().getState(new ValueStateDescriptor<>("replan-at", Types.LONG));
        planning = getRuntimeContext().getState(new ValueStateDescriptor<>("planning", Types.LONG));
        queued = getRuntimeContext().getState(new ValueStateDescriptor<>("planning-queued", Types.LONG));
        lateInputs = getRuntimeContext().getMetricGroup().counter("lateInputs");
        superseded = getRuntimeContext().getMetricGroup().counter("supersededReports");
        plansEmitted = getRuntimeContext().getMetricGroup().counter("plansEmitted");
        getRuntimeContext().getMetricGroup().gauge("lastPlanMillis", (Gauge<Long>) () -> lastPlanMillis);
        getRuntimeContext().getMetricGroup().gauge("plansInFlight", (Gauge<Integer>) () -> inFlight.size());
    }

    @Override
    public void close() {
        if (planner != null) {
            planner.shutdownNow();
        }
    }

    @Override
    public void processElement(RebalanceInput input, Context ctx, Collector<RebalancePlan> out) throws Exception {
        long at = input.at().toEpochMilli();
        if (!fold(input, ctx)) {
            return;
        }
        PlanSchedule.AfterInput next = schedule().input(at, quietMillis, maxDelayMillis);
        apply(ctx.timerService(), next.schedule(), null);
        if (next.late() && replanAt.value() == null) {
            // the plan this input belonged in was made without it, and event time may not move again for a long while
            // (the trace is over): plan again once the late inputs have been quiet for a quiet period of the clock
            long when = ctx.timerService().currentProcessingTime() + quietMillis;
            replanAt.update(when);
            ctx.timerService().registerProcessingTimeTimer(when);
            lateInputs.inc();
        }
    }

    /** Folds the input into the state; false when it changes nothing (superseded or refused). */
    private boolean fold(RebalanceInput input, Context ctx) throws Exception {
        if (input.position() != null) {
            // read, whatever it changes: an audit rebuilds the model from every record up to these offsets
            positions.put(input.position().partitionKey(), input.position().offset());
        }
        long at = input.at().toEpochMilli();
        if (input instanceof RebalanceInput.NodeInput node) {
            return counted(ClusterReports.report(reports, node.node(), at));
        }
        if (input instanceof RebalanceInput.ShardInput shard) {
            return counted(ClusterReports.report(reports, shard.shard(), at));
        }
        RebalanceInput.ProgressInput p = (RebalanceInput.ProgressInput) input;
        PlanInForce plan = planInForce.value() == null ? PlanInForce.NONE : planInForce.value();
        try {
            ClusterModel next = ClusterReports.progress(reports, plan.model(ctx.getCurrentKey(), Map.of(), Map.of()), p.progress(),
                    p.planId(), p.shard(), p.from(), p.to());
            planInForce.update(PlanInForce.of(next));
            return true;
        } catch (IllegalArgumentException e) {
            ctx.output(REJECTED, rejection(input, e.getMessage()));
            return false;
        }
    }

    private boolean counted(boolean kept) {
        if (!kept) {
            superseded.inc();
        }
        return kept;
    }

    private PlanSchedule schedule() throws java.io.IOException {
        return new PlanSchedule(due.value(), pendingSince.value(), latestInput.value(), lastPlanned.value());
    }

    /** Keeps {@code next} and moves the event-time timer to its due time; {@code fired} is the timer that is firing, if any. */
    private void apply(TimerService timers, PlanSchedule next, Long fired) throws java.io.IOException {
        Long scheduled = due.value();
        if (scheduled != null && !scheduled.equals(next.due()) && !scheduled.equals(fired)) {
            timers.deleteEventTimeTimer(scheduled);
        }
        if (next.due() != null && (!next.due().equals(scheduled) || next.due().equals(fired))) {
            timers.registerEventTimeTimer(next.due());
        }
        update(due, next.due());
        update(pendingSince, next.pendingSince());
        update(latestInput, next.latestInput());
        update(lastPlanned, next.lastPlanned());
    }

    private static void update(ValueState<Long> state, Long value) throws java.io.IOException {
        if (value == null) {
            state.clear();
        } else {
            state.update(value);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RebalancePlan> out) throws Exception {
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
            apply(ctx.timerService(), schedule().planned(timestamp, quietMillis, maxDelayMillis), timestamp);
            request(timestamp, ctx);
            return;
        }
        // a plan submitted by this very timer has its own poll timer: polling it now would race the planning thread
        boolean underWay = planning.value() != null;
        Long replan = replanAt.value();
        if (replan != null && replan == timestamp) {
            replanAt.clear();
            long at = schedule().replanTime();
            apply(ctx.timerService(), schedule().planned(at, quietMillis, maxDelayMillis), null);
            request(at, ctx);
        }
        if (underWay) {
            poll(ctx, out);
        }
    }

    /** Plans the model as it stands now, for event time {@code at}, unless a plan of this cluster is under way. */
    private void request(long at, Context ctx) throws Exception {
        if (planning.value() != null) {
            queued.update(Math.max(at, queued.value() == null ? at : queued.value()));
            return;
        }
        planning.update(at);
        submit(at, ctx);
    }

    private void submit(long at, Context ctx) throws Exception {
        ClusterModel current = model(ctx.getCurrentKey());
        Cluster view = current.planningView();
        Planner p = new Planner(settings);
        Future<Plan> plan = planner.submit(() -> {
            long started = System.nanoTime();
            Plan made = p.plan(view);
            lastPlanMillis = (System.nanoTime() - started) / 1_000_000;
            return made;
        });
        inFlight.put(current.cluster(), new PlanInFlight(plan, at, positions(), ClusterDigest.of(view)));
        ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + POLL_MILLIS);
    }

    /** On the operator thread: takes a finished plan, or looks again a poll later. */
    private void poll(OnTimerContext ctx, Collector<RebalancePlan> out) throws Exception {
        PlanInFlight f = inFlight.get(ctx.getCurrentKey());
        if (f == null) {
            // restored from a checkpoint taken while this cluster was being planned: plan that model again
            submit(planning.value(), ctx);
            return;
        }
        if (!f.plan().isDone()) {
            ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + POLL_MILLIS);
            return;
        }
        inFlight.remove(ctx.getCurrentKey());
        planning.clear();
        deliver(f, ctx, out);
        Long next = queued.value();
        if (next != null) {
            queued.clear();
            request(next, ctx);
        }
    }

    private void deliver(PlanInFlight f, OnTimerContext ctx, Collector<RebalancePlan> out) throws Exception {
        String cluster = ctx.getCurrentKey();
        Instant at = Instant.ofEpochMilli(f.at());
        Plan plan;
        try {
            plan = f.plan().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InvalidClusterException invalid) {
                // the model is incomplete or contradictory (a shard on a node never announced): say so, plan later
                LOG.warn("cluster {} not planned: {}", cluster, invalid.getMessage());
                ctx.output(REJECTED, new RejectedInput("ballast.shards.load", cluster, at,
                        "REJECTED_EVENT", "the cluster model cannot be planned: " + invalid.getMessage(), "{}"));
                return;
            }
            // a planner fault must not fail the job: in ballast up the autoscaler and invalidator share it and would restart too
            LOG.error("cluster {}: the planner failed; the cluster is planned again at its next input", cluster, e.getCause());
            ctx.output(REJECTED, new RejectedInput("ballast.shards.load", cluster, at,
                    "REJECTED_EVENT", "the planner failed on this cluster's model: " + e.getCause(), "{}"));
            return;
        }
        ClusterModel current = model(cluster);
        if (plan.status() == Plan.Status.EMPTY || ClusterModel.fingerprint(plan).equals(current.lastFingerprint())) {
            return;
        }
        String planId = PlanRecords.planId(cluster, at);
        out.collect(PlanRecords.toEvent(plan, planId, at, RebalancerJob.NAME, f.positions(), f.digest()));
        plansEmitted.inc();
        planInForce.update(PlanInForce.of(current.planned(planId, plan)));
    }

    /** Blocks until every plan under way is made (for tests: the operator thread picks them up at its next poll). */
    void awaitPlanning() throws Exception {
        for (PlanInFlight f : List.copyOf(inFlight.values())) {
            try {
                f.plan().get();
            } catch (ExecutionException e) {
                // delivered as a rejection at the next poll
            }
        }
    }

    /** A plan under way: what it is made from (the positions and digest it records) and when it is due. */
    private record PlanInFlight(Future<Plan> plan, long at, List<InputPosition> positions, String digest) {
    }

    private ClusterModel model(String cluster) throws Exception {
        Map<String, Node> known = new TreeMap<>();
        for (Map.Entry<String, Reported.NodeReport> e : nodes.entries()) {
            known.put(e.getKey(), e.getValue().node());
        }
        Map<String, Shard> placed = new TreeMap<>();
        for (Map.Entry<String, Reported.ShardReport> e : shards.entries()) {
            placed.put(e.getKey(), e.getValue().shard());
        }
        PlanInForce plan = planInForce.value() == null ? PlanInForce.NONE : planInForce.value();
        return plan.model(cluster, known, placed);
    }

    /** The last offset read of every input partition, in partition order. */
    private List<InputPosition> positions() throws Exception {
        List<InputPosition> out = new ArrayList<>();
        for (Map.Entry<String, Long> e : positions.entries()) {
            int colon = e.getKey().lastIndexOf(':');
            out.add(new InputPosition(e.getKey().substring(0, colon), Integer.parseInt(e.getKey().substring(colon + 1)), e.getValue()));
        }
        out.sort(java.util.Comparator.comparing(InputPosition::topic).thenComparingInt(InputPosition::partition));
        return out;
    }

    /** The node and shard entries of the keyed state, as {@link ClusterReports} keeps them. */
    private final class StateReports implements ClusterReports.Store {
        @Override
        public ClusterReports.NodeReport node(String id) throws Exception {
            Reported.NodeReport r = nodes.get(id);
            return r == null ? null : new ClusterReports.NodeReport(r.node(), r.at());
        }

        @Override
        public void put(ClusterReports.NodeReport report) throws Exception {
            nodes.put(report.node().id(), new Reported.NodeReport(report.node(), report.at()));
        }

        @Override
        public ClusterReports.ShardReport shard(String id) throws Exception {
            Reported.ShardReport r = shards.get(id);
            return r == null ? null : new ClusterReports.ShardReport(r.shard(), r.at());
        }

        @Override
        public void put(ClusterReports.ShardReport report) throws Exception {
            shards.put(report.shard().id(), new Reported.ShardReport(report.shard(), report.at()));
        }
    }

    private static RejectedInput rejection(RebalanceInput input, String reason) throws JsonProcessingException {
        String topic = input instanceof RebalanceInput.ProgressInput ? "ballast.actions"
                : input instanceof RebalanceInput.NodeInput ? "ballast.nodes" : "ballast.shards.load";
        return new RejectedInput(topic, input.position() == null ? -1 : input.position().partition(),
                input.position() == null ? -1 : input.position().offset(), input.cluster(), input.at(), "REJECTED_EVENT", reason,
                StateJson.mapper().writerFor(RebalanceInput.class).writeValueAsString(input));
    }
}
