package io.ballast.bench.micro;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.ballast.autoscale.Autoscaler;
import io.ballast.autoscale.AutoscalerSettings;
import io.ballast.autoscale.DecisionState;
import io.ballast.autoscale.Input;
import io.ballast.autoscale.Policy;
import io.ballast.events.InstancePhase;
import io.ballast.events.MetricKind;
import io.ballast.events.MetricSourceType;
import io.ballast.events.TargetType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One evaluation of one service by the autoscaler's decision class, as the job makes one at each sync timer: a sync
 * period's CPU samples (one per instance) folded with {@link Autoscaler#applyAll}, then {@link Autoscaler#decide}. The
 * load sits around the target, so every evaluation computes a full explained decision. Read it per instance: flat means
 * linear.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AutoscalerEvaluationBenchmark {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final int PERIODS = 64;

    @Param({"4", "100"})
    int instances;

    private Autoscaler autoscaler;
    private DecisionState state;
    private final List<List<Input>> periods = new ArrayList<>();
    private int next;

    @Setup
    public void setUp() {
        autoscaler = new Autoscaler(AutoscalerSettings.DEFAULTS);
        Policy.MetricTarget cpu = new Policy.MetricTarget("cpu", MetricSourceType.RESOURCE, TargetType.UTILIZATION, 70, null, null,
                null, false);
        Policy policy = new Policy("svc", 1, 1, 10_000, List.of(cpu), null, 0.1, 0, 0, false);
        state = autoscaler.applyAll(DecisionState.empty("svc"), List.of(new Input.PolicyChange(T0, policy),
                new Input.ReplicaChange(T0, "svc", instances, instances, instances, null, null))).state();
        for (int p = 0; p < PERIODS; p++) {
            Instant at = T0.plusSeconds(15L * (p + 1));
            List<Input> period = new ArrayList<>(instances);
            for (int i = 0; i < instances; i++) {
                period.add(new Input.Sample(at, "svc", "svc-" + i, "cpu", MetricKind.GAUGE, 0.3 + 0.001 * ((p * 7 + i) % 100), "cores",
                        InstancePhase.RUNNING, true, false, null, null, 0.5));
            }
            periods.add(period);
        }
    }

    @Benchmark
    public Autoscaler.Evaluation evaluate() {
        // the samples of one of PERIODS sync periods, over the same starting state: each call does the same work
        List<Input> period = periods.get(next);
        next = (next + 1) % PERIODS;
        DecisionState folded = autoscaler.applyAll(state, period).state();
        return autoscaler.decide(folded, period.get(0).at());
    }
}
