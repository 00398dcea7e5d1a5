package io.ballast.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.ballast.autoscale.DecisionState.Instance;
import io.ballast.autoscale.DecisionState.Series;
import io.ballast.events.DecisionRule;
import io.ballast.events.InstancePhase;
import io.ballast.events.MetricKind;
import io.ballast.events.MetricSourceType;
import io.ballast.events.TargetType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The headroom extension: ready capacity for the CPU in use plus the recent rise over the startup horizon, over the
 * utilization; the rise and a falling need decay by their half-lives; the startup is learned from the instances.
 */
class HeadroomModelTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Policy.MetricTarget CPU = new Policy.MetricTarget("cpu", MetricSourceType.RESOURCE, TargetType.UTILIZATION, 70,
            null, null, null, false);
    private static final Policy.HeadroomRule RULE = new Policy.HeadroomRule(false, 0.8, 1.25, 1800, 300);
    private static final ReplicaCalculator CALCULATOR = new ReplicaCalculator(AutoscalerSettings.DEFAULTS);
    private static final Duration SYNC = Duration.ofSeconds(15);

    private static HeadroomModel.Scale scale(int current) {
        return new HeadroomModel.Scale(current, 2, 200, 0.1);
    }

    /** {@code n} ready pods each using {@code cores} of a 1-core request, started 90 s before they turned ready. */
    private static List<Instance> pods(int n, double cores, Instant at) {
        List<Instance> pods = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pods.add(new Instance("p" + i, InstancePhase.RUNNING, true, false, T0.minusSeconds(3600), T0.minusSeconds(3510), at,
                    Map.of("cpu", new Series(MetricKind.GAUGE, "cores", at, cores, null, null, 1.0))));
        }
        return pods;
    }

    @Test
    void theNeedIsTheCpuInUsePlusTheRecentRiseOverTheUtilization() {
        HeadroomModel.Outcome first = HeadroomModel.evaluate(RULE, null, CPU, pods(10, 0.7, T0), CALCULATOR, SYNC, scale(10), T0);
        assertEquals(9, first.replicas(), "7 requests of CPU, no rise yet: 7 / 0.8 = 8.75");
        assertEquals(90_000, first.state().startupMillis(), "learned from the instances: started 90 s before ready");
        HeadroomModel.Outcome rising = HeadroomModel.evaluate(RULE, first.state(), CPU, pods(10, 1.0, T0.plusSeconds(15)), CALCULATOR, SYNC,
                scale(9), T0.plusSeconds(15));
        assertEquals(3.0, rising.state().rise(), 1e-9);
        assertEquals(18, rising.replicas(), "(10 + 1.25 x 3) / 0.8 = 17.19");
        // the rise stays in memory after the load settles, halving every 1800 s
        HeadroomModel.Outcome later = HeadroomModel.evaluate(RULE, rising.state(), CPU, pods(10, 1.0, T0.plusSeconds(1815)), CALCULATOR,
                SYNC, scale(18), T0.plusSeconds(1815));
        assertEquals(1.5, later.state().rise(), 1e-9);
        assertEquals(List.of(new DecisionState.Used(T0.plusSeconds(1815), 10.0)), later.state().recent(),
                "only the startup horizon (90 s + 2 syncs) is kept");
    }

    @Test
    void aFallingNeedIsFollowedThroughItsDecayedPeakAndNothingIsDecidedWithoutReadySamples() {
        HeadroomModel.Outcome high = HeadroomModel.evaluate(RULE, null, CPU, pods(10, 1.6, T0), CALCULATOR, SYNC, scale(10), T0);
        assertEquals(20, high.replicas());
        HeadroomModel.Outcome fell = HeadroomModel.evaluate(RULE, high.state(), CPU, pods(10, 0.4, T0.plusSeconds(300)), CALCULATOR, SYNC,
                scale(20), T0.plusSeconds(300));
        assertEquals(10, fell.replicas(), "the need of 20 halved after 300 s, above the 5 the load now needs");
        assertNull(HeadroomModel.evaluate(RULE, null, CPU, List.of(), CALCULATOR, SYNC, scale(2), T0));
    }

    @Test
    void forecastOnlyRecordsWhatItWouldDecideAndDecidesAsHpa() {
        Policy policy = new Policy(Scenario.SERVICE, 1, 1, 50, List.of(CPU), null, 0.1, 0, 0, false, null,
                new Policy.HeadroomRule(true, 0.8, 1.25, 1800, 300));
        Scenario s = new Scenario().policy(T0, policy).replicas(T0, 4, 4);
        for (int i = 0; i < 4; i++) {
            s.apply(new Input.Sample(T0, Scenario.SERVICE, "p" + i, "cpu", MetricKind.GAUGE, 1.4, "cores", InstancePhase.RUNNING, true, false,
                    null, null, 1.0));
        }
        Decision d = s.decide(T0);
        assertEquals(8, d.desiredReplicas(), "HPA: 140 % of a 70 % target doubles 4");
        Decision.Step step = d.steps().stream().filter(x -> x.rule() == DecisionRule.HEADROOM).findFirst().orElseThrow();
        assertTrue(step.detail().startsWith("forecast only: would decide 7; headroom: 5.60 requests of CPU in use"), step.detail());
        assertEquals(8, step.replicas());
    }

    /** A need above the replicas there by at most half a replica, and by no more than the policy's tolerance, starts none. */
    @ParameterizedTest(name = "{0} there, {1} pods at {2} cores, tolerance {3}: {4}")
    @CsvSource({
            // current, pods, cores, tolerance, expected: need = pods x cores / 0.8 (no rise at a first evaluation)
            "9, 10, 0.752, 0.1, 9",    // 9.40: 0.40 above, within half a replica
            "9, 10, 0.768, 0.1, 10",   // 9.60: 0.60 above
            "3, 4, 0.65, 0.1, 3",      // 3.25: within 10 % of 3 (0.3)
            "3, 4, 0.67, 0.1, 4",      // 3.35: beyond 10 % of 3, though within half a replica
            "8, 8, 0.901, 0.0, 10",    // 9.01 with no tolerance: up
            "1, 2, 0.4, 0.1, 2",       // 1.00 but below minReplicas 2: the floor wins
            "12, 10, 0.752, 0.1, 10"   // 9.40 below the 12 there: down as before
    })
    void aNeedWithinHalfAReplicaAndTheToleranceAboveTheReplicasThereStartsNone(int current, int pods, double cores, double tolerance,
                                                                               int expected) {
        HeadroomModel.Outcome o = HeadroomModel.evaluate(RULE, null, CPU, pods(pods, cores, T0), CALCULATOR, SYNC,
                new HeadroomModel.Scale(current, 2, 200, tolerance), T0);
        assertEquals(expected, o.replicas(), o.detail());
        assertEquals(expected == current && current >= 2, o.detail().contains("no replica started for it"), o.detail());
    }
}
