package io.ballast.jobs.invalidate;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.ballast.autoscale.StateJson;
import io.ballast.catalog.Topics;
import io.ballast.invalidate.Change;
import io.ballast.invalidate.CoalesceState;
import io.ballast.invalidate.Coalescer;
import io.ballast.invalidate.Visit;
import io.ballast.jobs.autoscale.RejectedInput;
import io.ballast.jobs.state.JsonStateTypeInfo;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by entity: maps {@link Coalescer} onto keyed state and two timers per group (wall clock and
 * event time, whichever fires first emits). Emits the coalesced change as the closure's first visit, of
 * the entity's own node; refused changes go to the dead-letter topic with the reason.
 */
public final class CoalesceFunction extends KeyedProcessFunction<String, Change, Visit> {
    private static final long serialVersionUID = 1L;
    public static final OutputTag<RejectedInput> REJECTED = new OutputTag<>("rejected", new JsonStateTypeInfo<>(RejectedInput.class));
    private final long windowMillis;
    private final Duration versionTtl;
    private transient Coalescer coalescer;
    private transient ValueState<CoalesceState> state;
    private transient Counter redelivered;

    public CoalesceFunction(Duration window, Duration versionTtl) {
        this.windowMillis = window.toMillis();
        this.versionTtl = versionTtl;
    }

    @Override
    public void open(OpenContext context) {
        coalescer = new Coalescer(windowMillis);
        ValueStateDescriptor<CoalesceState> descriptor = new ValueStateDescriptor<>("entity", new JsonStateTypeInfo<>(CoalesceState.class));
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(versionTtl).build());
        state = getRuntimeContext().getState(descriptor);
        redelivered = getRuntimeContext().getMetricGroup().counter("redeliveredChanges");
    }

    @Override
    public void processElement(Change change, Context ctx, Collector<Visit> out) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        Coalescer.Outcome outcome = coalescer.offer(state.value(), change, now);
        if (outcome instanceof Coalescer.Refused refused) {
            ctx.output(REJECTED, new RejectedInput(Topics.CHANGES.name(), change.entity(), Instant.ofEpochMilli(change.occurredAt()),
                    refused.code(), refused.reason(), StateJson.compactMapper().writeValueAsString(change)));
        } else if (outcome instanceof Coalescer.Redelivered) {
            redelivered.inc();
        } else if (outcome instanceof Coalescer.Accepted accepted) {
            accepted.emitted().ifPresent(out::collect);
            state.update(accepted.state());
            if (accepted.opened()) {
                CoalesceState.Group group = accepted.state().pending();
                ctx.timerService().registerProcessingTimeTimer(coalescer.wallDeadline(group));
                ctx.timerService().registerEventTimeTimer(coalescer.eventTimeDeadline(group));
            }
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Visit> out) throws Exception {
        CoalesceState current = state.value();
        Optional<Visit> due = coalescer.due(ctx.getCurrentKey(), current, ctx.timerService().currentProcessingTime(),
                ctx.timerService().currentWatermark());
        if (due.isPresent()) {
            out.collect(due.get());
            state.update(coalescer.emitted(current));
        }
    }
}
