package io.ballast.autoscale;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.ballast.autoscale.Autoscaler.Evaluation;

/**
 * Runs the autoscaler over a trace of inputs exactly as the Flink job does: per service, inputs folded in
 * {@link InputOrder#EVENT_TIME} order, an evaluation at every whole multiple of the sync period from the first input's,
 * a service forgotten after the idle timeout without input. It is what {@code ballast autoscale simulate} runs and what
 * an audit re-derives recorded decisions with: over a whole trace ({@link #run}), or fed input by input in event-time
 * order ({@link #start}), holding only each service's state, for traces too long to hold.
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
        Map<String, Integer> firstSeen = new HashMap<>();
        List<Decision> evaluations = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        Run run = start(evaluations::add, rejected::add);
        trace.stream().sorted(InputOrder.EVENT_TIME).forEach(i -> {
            firstSeen.putIfAbsent(i.service(), firstSeen.size());
            run.accept(i);
        });
        run.finish();
        evaluations.sort(Comparator.comparing(Decision::evaluatedAt).thenComparing(d -> firstSeen.get(d.service())));
        return new Result(evaluations, rejected);
    }

    /** A simulation fed one input at a time: each evaluation goes to {@code evaluations} once no later input can change it. */
    public Run start(Consumer<Decision> evaluations, Consumer<String> rejected) {
        return new Run(evaluations, rejected, null);
    }

    /**
     * As {@link #start(Consumer, Consumer)}, with the job's clock: the job evaluates every service at each sync instant its
     * watermark passes (the latest input of any service, less {@code outOfOrderness}) until the service has been idle for
     * the idle timeout, not only up to the service's own last input. What an audit re-derives recorded decisions with.
     */
    public Run start(Consumer<Decision> evaluations, Consumer<String> rejected, Duration outOfOrderness) {
        return new Run(evaluations, rejected, outOfOrderness);
    }

    /** A simulation under way. Inputs come in event-time order across services (ties in any order). Not thread-safe. */
    public final class Run {
        private final Map<String, ServiceRun> services = new HashMap<>();
        private final Consumer<Decision> evaluations;
        private final Consumer<String> rejected;
        private final Duration outOfOrderness;
        private final long period = autoscaler.settings().syncPeriod().toMillis();
        private long watermarkBoundary = Long.MIN_VALUE;

        private Run(Consumer<Decision> evaluations, Consumer<String> rejected, Duration outOfOrderness) {
            this.evaluations = evaluations;
            this.rejected = rejected;
            this.outOfOrderness = outOfOrderness;
        }

        /** Folds one input; evaluates its service at every sync instant before it (and, with the job's clock, every service). */
        public void accept(Input input) {
            services.computeIfAbsent(input.service(), ServiceRun::new).accept(input);
            if (outOfOrderness != null) {
                // the sync instants the watermark has passed: only when it crosses one is there anything to evaluate
                long watermark = input.at().toEpochMilli() - outOfOrderness.toMillis();
                long passed = Math.floorDiv(watermark, period) * period;
                if (passed > watermarkBoundary) {
                    watermarkBoundary = passed;
                    services.values().forEach(s -> s.advance(watermark));
                }
            }
        }

        /** The last evaluation of every service: the one at or after its last input. */
        public void finish() {
            services.values().forEach(ServiceRun::finish);
            services.clear();
        }

        /** One service: its state, the inputs since its last evaluation, and its next evaluation instant. */
        private final class ServiceRun {
            private final String service;
            private final List<Input> pending = new ArrayList<>();
            private DecisionState state;
            private long now = Long.MIN_VALUE;
            private long lastInput = Long.MIN_VALUE;

            ServiceRun(String service) {
                this.service = service;
                this.state = DecisionState.empty(service);
            }

            void accept(Input input) {
                long at = input.at().toEpochMilli();
                if (now == Long.MIN_VALUE) {
                    now = boundary(at, period);
                }
                while (at > now) {
                    evaluate();
                    if (now - lastInput >= idleTimeout.toMillis()) {
                        // silent for the idle timeout: forgotten, as the job forgets it; it starts afresh at this input
                        state = DecisionState.empty(service);
                        now = boundary(at, period);
                        break;
                    }
                    now += period;
                }
                pending.add(input);
                lastInput = Math.max(lastInput, at);
            }

            /** The evaluation at or after its last input, unless the job's clock has forgotten the service already. */
            void finish() {
                if (now != Long.MIN_VALUE) {
                    evaluate();
                }
            }

            /** Evaluates every sync instant up to {@code watermark}, as the job's timers fire, until the service is forgotten. */
            void advance(long watermark) {
                while (now != Long.MIN_VALUE && now <= watermark) {
                    evaluate();
                    if (now - lastInput >= idleTimeout.toMillis()) {
                        // forgotten, as the job forgets it: it starts afresh at its next input
                        state = DecisionState.empty(service);
                        now = Long.MIN_VALUE;
                        return;
                    }
                    now += period;
                }
            }

            void evaluate() {
                // the order the job folds an instant's inputs in, whatever order they were read in
                pending.sort(InputOrder.EVENT_TIME);
                Autoscaler.Batch batch = autoscaler.applyAll(state, pending);
                state = batch.state();
                batch.refused().forEach(r -> rejected.accept(r.input().at() + " " + service + ": " + r.reason()));
                pending.clear();
                Evaluation evaluation = autoscaler.decide(state, Instant.ofEpochMilli(now));
                state = evaluation.state();
                if (evaluation instanceof Evaluation.Decided decided) {
                    evaluations.accept(decided.decision());
                }
            }
        }
    }

    private static long boundary(long at, long period) {
        return Math.floorDiv(at + period - 1, period) * period;
    }
}
