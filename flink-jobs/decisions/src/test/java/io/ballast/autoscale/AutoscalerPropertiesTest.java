package io.ballast.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.ballast.autoscale.Autoscaler.Evaluation;
import io.ballast.autoscale.DecisionState.ScaleEvent;
import io.ballast.autoscale.Policy.Behavior;
import io.ballast.autoscale.Policy.MetricTarget;
import io.ballast.autoscale.Policy.RatePolicy;
import io.ballast.autoscale.Policy.Rules;
import io.ballast.events.HpaPolicyType;
import io.ballast.events.InstancePhase;
import io.ballast.events.MetricKind;
import io.ballast.events.MetricSourceType;
import io.ballast.events.SelectPolicy;
import io.ballast.events.TargetType;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Invariants of the autoscaler over random policies, fleets and sample histories. */
class AutoscalerPropertiesTest {
    private static final Instant T0 = Scenario.T0;

    /** A fleet of {@code count} ready CPU instances at the given usages (cores, request 1 core), the state ready to decide. */
    private static Scenario fleet(Policy policy, int spec, List<Double> usages) {
        Scenario s = new Scenario().policy(T0, policy).replicas(T0, spec, usages.size());
        for (int i = 0; i < usages.size(); i++) {
            s.accept(new Input.Sample(T0, Scenario.SERVICE, "pod-" + i, "cpu", MetricKind.GAUGE, usages.get(i), "cores",
                    InstancePhase.RUNNING, true, false, T0.minusSeconds(3600), T0.minusSeconds(3600), 1.0));
        }
        return s;
    }

    private static Policy cpuPolicy(int min, int max, int target, Behavior behavior, double tolerance) {
        MetricTarget cpu = new MetricTarget("cpu", MetricSourceType.RESOURCE, TargetType.UTILIZATION, target, null, null, null, false);
        return new Policy(Scenario.SERVICE, 1, min, max, List.of(cpu), behavior, tolerance, 0, 0, false);
    }

    @Provide
    Arbitrary<Behavior> behaviors() {
        Arbitrary<RatePolicy> ratePolicy = Combinators.combine(Arbitraries.of(HpaPolicyType.class),
                Arbitraries.integers().between(1, 200), Arbitraries.integers().between(1, 600)).as(RatePolicy::new);
        Arbitrary<Rules> rules = Combinators.combine(Arbitraries.integers().between(0, 600).injectNull(0.3),
                Arbitraries.of(SelectPolicy.class), ratePolicy.list().ofMaxSize(3), Arbitraries.just((Double) null)).as(Rules::new);
        return Combinators.combine(rules.injectNull(0.3), rules.injectNull(0.3)).as(Behavior::new).injectNull(0.3);
    }

    @Property
    void theDecisionNeverLeavesMinAndMax(@ForAll @IntRange(min = 1, max = 10) int min, @ForAll @IntRange(min = 0, max = 40) int extra,
                                         @ForAll @IntRange(min = 1, max = 60) int spec, @ForAll @IntRange(min = 10, max = 150) int target,
                                         @ForAll("behaviors") Behavior behavior,
                                         @ForAll @Size(min = 1, max = 12) List<@DoubleRange(min = 0, max = 4) Double> usages) {
        int max = min + extra;
        Decision d = fleet(cpuPolicy(min, max, target, behavior, 0.1), spec, usages).decide(T0);
        assertTrue(d.desiredReplicas() >= min && d.desiredReplicas() <= max,
                () -> d.desiredReplicas() + " outside [" + min + ", " + max + "]: " + d.steps());
    }

    @Property
    void withinToleranceNothingMoves(@ForAll @IntRange(min = 1, max = 20) int replicas, @ForAll @IntRange(min = 20, max = 200) int target,
                                     @ForAll @DoubleRange(min = 0.0, max = 0.2) double tolerance,
                                     @ForAll @DoubleRange(min = -1.0, max = 1.0) double position,
                                     @ForAll("behaviors") Behavior behavior) {
        long percent = Math.round(target * (1 + position * tolerance));
        if (Math.abs((double) percent / target - 1) > tolerance) {
            percent = target;
        }
        List<Double> usages = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            usages.add(percent / 100.0);
        }
        Decision d = fleet(cpuPolicy(1, 100, target, behavior, tolerance), replicas, usages).decide(T0);
        assertEquals(replicas, d.desiredReplicas(), () -> d.metrics() + " " + d.steps());
    }

    /** With a Pods policy of v per p seconds, the replicas added within any p seconds never exceed v. */
    @Property
    void scaleUpNeverOutrunsAPodsPolicy(@ForAll @IntRange(min = 1, max = 6) int value, @ForAll @IntRange(min = 15, max = 120) int period,
                                        @ForAll @Size(min = 5, max = 30) List<@IntRange(min = 1, max = 200) Integer> demand) {
        Rules up = new Rules(0, SelectPolicy.MAX, List.of(new RatePolicy(HpaPolicyType.PODS, value, period)), null);
        Rules noDown = new Rules(0, SelectPolicy.DISABLED, List.of(), null);
        Scenario s = new Scenario().policy(T0, Scenario.queuePolicy(1, 500, new Behavior(up, noDown), 0, 0, false)).replicas(T0, 1, 1);
        List<ScaleEvent> ups = new ArrayList<>();
        for (int i = 0; i < demand.size(); i++) {
            Instant at = T0.plusSeconds(15L * i);
            Decision d = s.queueAt(at, demand.get(i));
            if (d.desiredReplicas() > d.currentReplicas()) {
                ups.add(new ScaleEvent(at, d.currentReplicas(), d.desiredReplicas()));
            }
            int added = ups.stream().filter(e -> e.at().isAfter(at.minusSeconds(period))).mapToInt(e -> e.to() - e.from()).sum();
            assertTrue(added <= value, () -> added + " added within " + period + " s, policy allows " + value + ": " + ups);
        }
    }

    @Property
    void theSameStateAndTimeGiveTheSameDecisionAlsoAfterAJsonRoundTrip(
            @ForAll @IntRange(min = 1, max = 30) int spec, @ForAll("behaviors") Behavior behavior,
            @ForAll @Size(min = 1, max = 8) List<@DoubleRange(min = 0, max = 3) Double> usages,
            @ForAll @Size(max = 6) List<@IntRange(min = 1, max = 40) Integer> history) {
        Scenario s = fleet(cpuPolicy(1, 40, 60, behavior, 0.1), spec, usages);
        for (int i = 0; i < history.size(); i++) {
            s.queueAt(T0.plusSeconds(15L * i), history.get(i));
        }
        Instant now = T0.plusSeconds(15L * history.size());
        DecisionState state = s.state;
        Autoscaler autoscaler = new Autoscaler(AutoscalerSettings.DEFAULTS);
        Evaluation first = autoscaler.decide(state, now);
        Evaluation again = autoscaler.decide(state, now);
        Evaluation restored = autoscaler.decide(StateJson.read(StateJson.write(state)), now);
        assertEquals(first, again);
        assertEquals(first, restored);
    }
}
