package io.ballast.jobs.autoscale;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.ballast.autoscale.Autoscaler;
import io.ballast.autoscale.Autoscaler.Evaluation;
import io.ballast.autoscale.AutoscalerSettings;
import io.ballast.autoscale.DecisionRecords;
import io.ballast.autoscale.DecisionState;
import io.ballast.autoscale.Input;
import io.ballast.autoscale.InputOrder;
import io.ballast.autoscale.ReadLag;
import io.ballast.autoscale.StateJson;
import io.ballast.events.LateScalingInput;
import io.ballast.events.ScalingDecision;
import io.ballast.jobs.serde.AvroEventTypeInfo;
import io.ballast.jobs.state.DecisionStateTypeInfo;
import io.ballast.jobs.state.InputTypeInfo;
import io.ballast.jobs.state.JsonStateTypeInfo;
import io.ballast.rebalance.InputPosition;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Per service: buffers inputs until their evaluation, then at every sync period of event time folds the
 * due inputs in event-time order into the service's {@link DecisionState} and lets the
 * {@link Autoscaler} decide. An evaluation runs when the watermark passes its instant or, with an evaluation deadline and
 * live input (its bucket opened before its instant on the wall clock, and every input read lately came within the deadline
 * of its event time), once the wall clock is the deadline past it: the watermark waits out its out-of-orderness, the
 * deadline only for inputs on their way. A decision that changes the replica count is emitted. Inputs at or before
 * the last evaluation are late: a policy or a replica status is the service's current spec and status and is taken at
 * the next evaluation ({@link Input#asCurrentAt}); a late sample is counted and sent to the {@link #REJECTED} side
 * output, never used, so it cannot flip a decision already made. Every late input is also recorded on the {@link #LATE}
 * side output, with where it was read and what was done with it: the one thing an audit cannot re-derive from event times.
 * A service silent for the idle timeout is forgotten.
 */
public final class AutoscalerFunction extends KeyedProcessFunction<String, ReadInput, ScalingDecision> {
    private static final long serialVersionUID = 1L;
    /** Late inputs and inputs the state refused, bound for the dead-letter topic. */
    public static final OutputTag<RejectedInput> REJECTED = new OutputTag<>("rejected", new JsonStateTypeInfo<>(RejectedInput.class));
    /**
     * Every late input and what was done with it, bound for ballast.decisions.scaling.late: which inputs come late depends
     * on the order the sources read them in, so the job records it for an audit to fold each input where the job did.
     */
    public static final OutputTag<LateScalingInput> LATE = new OutputTag<>("late", new AvroEventTypeInfo<>(LateScalingInput.class));

    private final AutoscalerSettings settings;
    private final Duration idleTimeout;
    private final Duration stateTtl;
    /** Zero: evaluations wait for the watermark alone. */
    private final long deadline;
    /**
     * How late this instance has read its inputs over the last sync periods. An evaluation runs at its deadline only while
     * no input came later than the deadline: a task behind its input (backpressure, a restore re-reading its topics, a
     * partition that lags) waits for the watermark instead of taking what is still on its way as late.
     */
    private transient ReadLag lag;
    private transient Autoscaler autoscaler;
    private transient ValueState<DecisionState> state;
    /**
     * Inputs waiting for their evaluation, one entry each, keyed by (evaluation instant, arrival number within it):
     * appending one is a point write, draining a bucket point reads of its entries, whatever else is pending.
     */
    private transient MapState<Tuple2<Long, Integer>, Input> pending;
    /** How many inputs each pending evaluation instant holds in {@link #pending}. */
    private transient MapState<Long, Integer> pendingCounts;
    /**
     * The buffer before {@link #pending} (one list per evaluation instant, rewritten per input: quadratic per bucket);
     * a job restored from an older checkpoint still drains it at those evaluations, and nothing is added to it.
     */
    private transient MapState<Long, List<Input>> pendingLists;
    /** Event time of the latest input folded into the state. */
    private transient ValueState<Long> lastInputAt;
    private transient ValueState<Long> lastEvaluatedAt;
    private transient Counter late;
    /** Policies and replica statuses that came after their evaluation, taken at the next one. */
    private transient Counter lateState;
    private transient Counter rejected;
    private transient Counter decisions;
    private transient Counter evaluations;
    private transient Counter earlyEvaluations;

    /**
     * @param idleTimeout event time without input after which a service's state is dropped
     * @param stateTtl    processing-time safety net behind the idle timeout (RocksDB compaction filter)
     * @param deadline    wall-clock time after its instant at which a live evaluation runs without the watermark; zero: never
     */
    public AutoscalerFunction(AutoscalerSettings settings, Duration idleTimeout, Duration stateTtl, Duration deadline) {
        if (deadline.isNegative() || deadline.compareTo(settings.syncPeriod()) >= 0) {
            throw new IllegalArgumentException("the evaluation deadline must be at least 0 and less than the sync period "
                    + settings.syncPeriod() + ", got " + deadline);
        }
        this.settings = settings;
        this.idleTimeout = idleTimeout;
        this.stateTtl = stateTtl;
        this.deadline = deadline.toMillis();
    }

    @Override
    public void open(OpenContext context) {
        autoscaler = new Autoscaler(settings);
        StateTtlConfig ttl = StateTtlConfig.newBuilder(stateTtl).cleanupInRocksdbCompactFilter(10_000).build();
        ValueStateDescriptor<DecisionState> stateDescriptor = new ValueStateDescriptor<>("decision-state", new DecisionStateTypeInfo());
        stateDescriptor.enableTimeToLive(ttl);
        // no TTL on the buffer: every evaluation drains its bucket
        state = getRuntimeContext().getState(stateDescriptor);
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending-input",
                Types.TUPLE(Types.LONG, Types.INT), new InputTypeInfo()));
        pendingCounts = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending-count", Types.LONG, Types.INT));
        pendingLists = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending-inputs", Types.LONG,
                new ListTypeInfo<>(new InputTypeInfo())));
        lastInputAt = getRuntimeContext().getState(new ValueStateDescriptor<>("last-input-at", Types.LONG));
        lastEvaluatedAt = getRuntimeContext().getState(new ValueStateDescriptor<>("last-evaluated-at", Types.LONG));
        late = getRuntimeContext().getMetricGroup().counter("lateInputs");
        lateState = getRuntimeContext().getMetricGroup().counter("lateSpecsTakenAtNextEvaluation");
        rejected = getRuntimeContext().getMetricGroup().counter("rejectedInputs");
        decisions = getRuntimeContext().getMetricGroup().counter("decisions");
        evaluations = getRuntimeContext().getMetricGroup().counter("evaluations");
        earlyEvaluations = getRuntimeContext().getMetricGroup().counter("evaluationsAtDeadline");
        lag = new ReadLag(settings.syncPeriod().toMillis());
    }

    @Override
    public void processElement(ReadInput read, Context ctx, Collector<ScalingDecision> out) throws Exception {
        Input input = read.input();
        long at = input.at().toEpochMilli();
        lag.read(at, ctx.timerService().currentProcessingTime());
        // read whatever the watermark says: an evaluation at its deadline runs ahead of it, and after a restore the
        // watermark starts from nothing while the evaluations in the state stand
        Long evaluated = lastEvaluatedAt.value();
        if (evaluated != null && at <= evaluated) {
            long next = evaluated + settings.syncPeriod().toMillis();
            java.util.Optional<Input> current = Input.asCurrentAt(input, Instant.ofEpochMilli(next));
            ctx.output(LATE, DecisionRecords.lateInput(input, read.position(), Instant.ofEpochMilli(evaluated),
                    current.isPresent() ? Instant.ofEpochMilli(next) : null));
            if (current.isPresent()) {
                lateState.inc();
                pend(next, current.get(), ctx);
                return;
            }
            late.inc();
            ctx.output(REJECTED, rejection(input, read.position(), "LATE_EVENT", "event time " + input.at()
                    + " is at or before the evaluation at " + Instant.ofEpochMilli(evaluated) + " that has already run; late samples are never used"));
            return;
        }
        pend(boundary(at), input, ctx);
    }

    private void pend(long bucket, Input input, Context ctx) throws Exception {
        Integer count = pendingCounts.get(bucket);
        int seq = count == null ? 0 : count;
        pending.put(Tuple2.of(bucket, seq), input);
        pendingCounts.put(bucket, seq + 1);
        if (count == null) {
            schedule(bucket, ctx.timerService());
        }
    }

    /**
     * The evaluation at {@code instant}: when the watermark passes it and, if the input is live (the instant plus the
     * deadline still ahead on the wall clock), at that deadline too. A backlog is evaluated by the watermark alone.
     */
    private void schedule(long instant, TimerService timers) {
        timers.registerEventTimeTimer(instant);
        if (deadline > 0 && instant + deadline > timers.currentProcessingTime()) {
            timers.registerProcessingTimeTimer(instant + deadline);
        }
    }

    /** The bucket's inputs in arrival order, removed from the buffer. */
    private List<Input> drain(long bucket) throws Exception {
        List<Input> due = new ArrayList<>();
        List<Input> older = pendingLists.get(bucket);
        if (older != null) {
            due.addAll(older);
            pendingLists.remove(bucket);
        }
        Integer count = pendingCounts.get(bucket);
        for (int seq = 0; count != null && seq < count; seq++) {
            Tuple2<Long, Integer> key = Tuple2.of(bucket, seq);
            due.add(pending.get(key));
            pending.remove(key);
        }
        pendingCounts.remove(bucket);
        return due;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ScalingDecision> out) throws Exception {
        Long evaluated = lastEvaluatedAt.value();
        Long next;
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            next = evaluated != null ? (Long) (evaluated + settings.syncPeriod().toMillis()) : earliestPending();
        } else if (evaluated != null && timestamp <= evaluated) {
            return;
        } else {
            next = evaluate(timestamp, ctx, out);
        }
        catchUp(next, ctx, out);
    }

    /**
     * Runs, from {@code next} on, the evaluations whose deadline has passed, while this instance reads its input live: a
     * deadline timer, or an evaluation the watermark ran late, brings the service up to the wall clock.
     */
    private void catchUp(Long next, OnTimerContext ctx, Collector<ScalingDecision> out) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        while (deadline > 0 && next != null && next + deadline <= now && lag.within(deadline, now)) {
            earlyEvaluations.inc();
            next = evaluate(next, ctx, out);
        }
    }

    /** The earliest instant with input waiting, of a service not evaluated yet; null if none. */
    private Long earliestPending() throws Exception {
        Long earliest = null;
        for (Long bucket : pendingCounts.keys()) {
            earliest = earliest == null || bucket < earliest ? bucket : earliest;
        }
        for (Long bucket : pendingLists.keys()) {
            earliest = earliest == null || bucket < earliest ? bucket : earliest;
        }
        return earliest;
    }

    /** Evaluates the service at {@code timestamp}; its next evaluation instant, or null if the service was forgotten. */
    private Long evaluate(long timestamp, OnTimerContext ctx, Collector<ScalingDecision> out) throws Exception {
        Instant now = Instant.ofEpochMilli(timestamp);
        // every bucket before this one had its own evaluation, and late inputs never enter one
        List<Input> due = drain(timestamp);
        due.sort(InputOrder.EVENT_TIME);
        DecisionState current = state.value() == null ? DecisionState.empty(ctx.getCurrentKey()) : state.value();
        Long lastApplied = lastInputAt.value();
        for (Input input : due) {
            lastApplied = lastApplied == null ? input.at().toEpochMilli() : Math.max(lastApplied, input.at().toEpochMilli());
        }
        Autoscaler.Batch batch = autoscaler.applyAll(current, due);
        current = batch.state();
        for (Autoscaler.Refusal refusal : batch.refused()) {
            rejected.inc();
            ctx.output(REJECTED, rejection(refusal.input(), null, "REJECTED_EVENT", refusal.reason()));
        }
        Evaluation evaluation = autoscaler.decide(current, now);
        evaluations.inc();
        if (evaluation instanceof Evaluation.Decided decided && decided.decision().changesReplicas()) {
            decisions.inc();
            out.collect(DecisionRecords.toEvent(decided.decision()));
        }
        if (lastApplied == null || timestamp - lastApplied >= idleTimeout.toMillis()) {
            forget(ctx);
            return null;
        }
        state.update(evaluation.state());
        lastInputAt.update(lastApplied);
        lastEvaluatedAt.update(timestamp);
        long next = timestamp + settings.syncPeriod().toMillis();
        schedule(next, ctx.timerService());
        return next;
    }

    /**
     * A service silent for the idle timeout: its state goes, so a service that comes back starts afresh
     * at the evaluation of its next input (as the simulator does).
     */
    private void forget(OnTimerContext ctx) throws Exception {
        state.clear();
        lastInputAt.clear();
        lastEvaluatedAt.clear();
        Long next = earliestPending();
        if (next != null) {
            schedule(next, ctx.timerService());
        }
    }

    /** The first evaluation at or after {@code at}: evaluations run at whole multiples of the sync period. */
    private long boundary(long at) {
        long period = settings.syncPeriod().toMillis();
        return Math.floorDiv(at + period - 1, period) * period;
    }

    /** @param position where the input was read; null when unknown (an input refused at its evaluation was buffered without it) */
    private static RejectedInput rejection(Input input, InputPosition position, String code, String reason) throws JsonProcessingException {
        return new RejectedInput(Input.topicOf(input).name(), position == null ? -1 : position.partition(), position == null ? -1 : position.offset(),
                input.service(), input.at(), code, reason, StateJson.mapper().writerFor(Input.class).writeValueAsString(input));
    }
}
