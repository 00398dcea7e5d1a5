package io.ballast.jobs.invalidate;

import java.util.List;
import java.util.Set;

import io.ballast.invalidate.EdgeChange;
import io.ballast.invalidate.Registration;
import io.ballast.jobs.state.JsonStateTypeInfo;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by cache key: keeps the key's current registration and turns each new one into the edge changes
 * at its targets (targets no longer named lose the key, new ones gain it). A registration with a TTL is
 * withdrawn when it expires (a processing-time timer at {@code occurredAt + ttl}); one that arrives
 * already expired withdraws the key.
 */
public final class RegistrationFunction extends KeyedProcessFunction<String, RegistrationInput, GraphInput> {
    private static final long serialVersionUID = 1L;
    private transient ValueState<Registration> current;

    @Override
    public void open(OpenContext context) {
        current = getRuntimeContext().getState(new ValueStateDescriptor<>("registration", new JsonStateTypeInfo<>(Registration.class)));
    }

    @Override
    public void processElement(RegistrationInput input, Context ctx, Collector<GraphInput> out) throws Exception {
        Registration before = current.value();
        Set<io.ballast.invalidate.Node> was = before == null ? Set.of() : before.targets();
        long now = ctx.timerService().currentProcessingTime();
        Registration next = input.withdrawn() ? null : input.registration();
        if (next != null && next.expiredAt(now)) {
            next = null;
        }
        emit(EdgeChange.between(input.key(), was, next == null ? Set.of() : next.targets()), out);
        if (next == null) {
            current.clear();
            return;
        }
        current.update(next);
        if (next.expiresAt() != Registration.NEVER) {
            ctx.timerService().registerProcessingTimeTimer(next.expiresAt());
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<GraphInput> out) throws Exception {
        Registration registration = current.value();
        // a refreshed registration leaves earlier timers behind: only the one at its own expiry withdraws it
        if (registration != null && registration.expiredAt(timestamp)) {
            emit(EdgeChange.between(registration.key(), registration.targets(), Set.of()), out);
            current.clear();
        }
    }

    private static void emit(List<EdgeChange> changes, Collector<GraphInput> out) {
        changes.forEach(change -> out.collect(GraphInput.of(change)));
    }
}
