package io.ballast.autoscale;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ballast.autoscale.Autoscaler.Evaluation;

/**
 * Runs the autoscaler over a whole trace of inputs exactly as the Flink job does: per service, inputs
 * folded in {@link InputOrder#EVENT_TIME} order, an evaluation at every whole multiple of the sync period
 * from the first input's, a service forgotten after the idle timeout without input. It is what
 * {@code ballast autoscale simulate} runs and what an audit re-derives recorded decisions with.
 */
public final class Simulation {
    private final Autoscaler autoscaler;
    private final Duration idleTimeout;

    public Simulation(AutoscalerSettings settings, Duration idleTimeout) {
        this.autoscaler = new Autoscaler(settings);
        this.idleTimeout = idleTimeout;
    }

    /** What the simulation saw: every evaluation and every input the state refused, in order. */
    public record Result(List<Decision> evaluations, List<String> rejected) {
        /** The decisions the job would publish: those that change the replica count. */
        public List<Decision> published() {
            return evaluations.stream().filter(Decision::changesReplicas).toList();
        }
    }

    /** Simulates every service of the trace, up to the evaluation at or after its last input. */
    public Result run(List<Input> trace) {
        Map<String, List<Input>> byService = new LinkedHashMap<>();
        trace.stream().sorted(InputOrder.EVENT_TIME).forEach(i -> byService.computeIfAbsent(i.service(), s -> new ArrayList<>()).add(i));
        List<Decision> evaluations = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        byService.forEach((service, inputs) -> runService(service, inputs, evaluations, rejected));
        evaluations.sort((a, b) -> a.evaluatedAt().compareTo(b.evaluatedAt()));
        return new Result(evaluations, rejected);
    }

    private void runService(String service, List<Input> inputs, List<Decision> evaluations, List<String> rejected) {
        long period = autoscaler.settings().syncPeriod().toMillis();
        DecisionState state = DecisionState.empty(service);
        int next = 0;
        long now = boundary(inputs.get(0).at().toEpochMilli(), period);
        long lastInput = Long.MIN_VALUE;
        while (true) {
            int from = next;
            while (next < inputs.size() && inputs.get(next).at().toEpochMilli() <= now) {
                lastInput = Math.max(lastInput, inputs.get(next++).at().toEpochMilli());
            }
            Autoscaler.Batch batch = autoscaler.applyAll(state, inputs.subList(from, next));
            state = batch.state();
            batch.refused().forEach(r -> rejected.add(r.input().at() + " " + service + ": " + r.reason()));
            Evaluation evaluation = autoscaler.decide(state, Instant.ofEpochMilli(now));
            state = evaluation.state();
            if (evaluation instanceof Evaluation.Decided decided) {
                evaluations.add(decided.decision());
            }
            if (now - lastInput >= idleTimeout.toMillis()) {
                // silent for the idle timeout: forgotten, as the job forgets it; it starts afresh at its next input
                state = DecisionState.empty(service);
                if (next == inputs.size()) {
                    return;
                }
                now = boundary(inputs.get(next).at().toEpochMilli(), period);
                continue;
            }
            if (next == inputs.size()) {
                return;
            }
            now += period;
        }
    }

    private static long boundary(long at, long period) {
        return Math.floorDiv(at + period - 1, period) * period;
    }
}
