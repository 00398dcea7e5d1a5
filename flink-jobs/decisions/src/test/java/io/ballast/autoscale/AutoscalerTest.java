package io.ballast.autoscale;

import static io.ballast.autoscale.Scenario.T0;
import static io.ballast.autoscale.Scenario.queuePolicy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.ballast.autoscale.Autoscaler.Applied;
import io.ballast.autoscale.Autoscaler.Evaluation;
import io.ballast.autoscale.Policy.Behavior;
import io.ballast.autoscale.Policy.MetricTarget;
import io.ballast.autoscale.Policy.RatePolicy;
import io.ballast.autoscale.Policy.Rules;
import io.ballast.events.DecisionRule;
import io.ballast.events.ScaleToZero;
import io.ballast.events.HpaPolicyType;
import io.ballast.events.InstancePhase;
import io.ballast.events.MetricKind;
import io.ballast.events.MetricSourceType;
import io.ballast.events.MetricStatus;
import io.ballast.events.SelectPolicy;
import io.ballast.events.TargetType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AutoscalerTest {

    /**
     * The scale-down example of the Kubernetes HPA documentation: Pods 4 and Percent 10 per 60 s, the
     * policy allowing the most change wins: from 80 replicas 8 go first, 10% keeps winning above 40
     * replicas (7.2 becomes 8), and 4 pods a period below.
     */
    @Test
    void documentedScaleDownExampleRemovesTheLargerOfTenPercentAndFourPodsPerMinute() {
        Rules down = new Rules(0, SelectPolicy.MAX, List.of(new RatePolicy(HpaPolicyType.PODS, 4, 60),
                new RatePolicy(HpaPolicyType.PERCENT, 10, 60)), null);
        Scenario s = new Scenario().policy(T0, queuePolicy(1, 100, new Behavior(null, down), 0, 0, false)).replicas(T0, 80, 80);
        List<Integer> counts = new ArrayList<>();
        for (int minute = 0; minute < 16; minute++) {
            counts.add(s.queueAt(T0.plusSeconds(61L * minute), 10).desiredReplicas());
        }
        assertEquals(List.of(72, 64, 57, 51, 45, 40, 36, 32, 28, 24, 20, 16, 12, 10, 10, 10), counts);
    }

    @Test
    void aSecondScaleDownWithinThePeriodCountsTheFirst() {
        Rules down = new Rules(0, SelectPolicy.MAX, List.of(new RatePolicy(HpaPolicyType.PERCENT, 10, 60)), null);
        Scenario s = new Scenario().policy(T0, queuePolicy(1, 100, new Behavior(null, down), 0, 0, false)).replicas(T0, 80, 80);
        assertEquals(72, s.queueAt(T0, 10).desiredReplicas());
        Decision held = s.queueAt(T0.plusSeconds(15), 10);
        assertEquals(72, held.desiredReplicas());
        assertEquals(DecisionRule.SCALE_DOWN_POLICY, held.limitedBy());
        assertEquals(64, s.queueAt(T0.plusSeconds(61), 10).desiredReplicas());
    }

    /** HPA's default scaleUp: double or add 4 pods, whichever is more, every 15 s. */
    @Test
    void defaultScaleUpBehaviorDoublesOrAddsFourEveryFifteenSeconds() {
        Scenario s = new Scenario().policy(T0, queuePolicy(1, 100, new Behavior(null, null), 0, 0, false)).replicas(T0, 1, 1);
        List<Integer> counts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            counts.add(s.queueAt(T0.plusSeconds(15L * i), 100).desiredReplicas());
        }
        assertEquals(List.of(5, 10, 20, 40, 80, 100), counts);
    }

    @Test
    void selectPolicyDisabledNeverScalesThatWay() {
        Rules disabled = new Rules(0, SelectPolicy.DISABLED, List.of(), null);
        Scenario s = new Scenario().policy(T0, queuePolicy(1, 100, new Behavior(null, disabled), 0, 0, false)).replicas(T0, 8, 8);
        Decision d = s.queueAt(T0, 2);
        assertEquals(8, d.desiredReplicas());
        assertEquals(DecisionRule.DISABLED, d.limitedBy());
        assertEquals(16, s.queueAt(T0.plusSeconds(15), 16).desiredReplicas());
    }

    /** HPA records the current count as its first recommendation: a new autoscaler holds it for the downscale window. */
    @ParameterizedTest(name = "behavior {0}")
    @ValueSource(booleans = {false, true})
    void aNewAutoscalerDoesNotScaleDownBeforeItsDownscaleWindowHasPassed(boolean withBehavior) {
        Scenario s = new Scenario().policy(T0, queuePolicy(1, 20, withBehavior ? new Behavior(null, null) : null, 0, 0, false))
                .replicas(T0, 8, 8);
        Decision first = s.queueAt(T0, 2);
        assertEquals(8, first.desiredReplicas());
        assertEquals(DecisionRule.STABILIZATION_WINDOW, first.limitedBy());
        assertEquals(8, s.queueAt(T0.plusSeconds(299), 2).desiredReplicas());
        assertEquals(2, s.queueAt(T0.plusSeconds(301), 2).desiredReplicas());
    }

    /** HPA's first recommendation is the current count, recorded when it first sees the autoscaler: it counts in both windows. */
    @Test
    void scaleUpStabilizationWindowTakesTheLowestRecentRecommendationStartingWithTheCurrentCount() {
        Rules up = new Rules(60, SelectPolicy.MAX, List.of(), null);
        Scenario s = new Scenario().policy(T0, queuePolicy(1, 100, new Behavior(up, null), 0, 0, false)).replicas(T0, 4, 4);
        Decision first = s.queueAt(T0, 6);
        assertEquals(4, first.desiredReplicas());
        assertEquals(DecisionRule.STABILIZATION_WINDOW, first.limitedBy());
        assertEquals(4, s.queueAt(T0.plusSeconds(15), 6).desiredReplicas());
        Decision d = s.queueAt(T0.plusSeconds(61), 12);
        assertEquals(6, d.desiredReplicas(), "the lowest of the last 60 s: 6 at 00:15, 12 now");
        assertEquals(DecisionRule.STABILIZATION_WINDOW, d.limitedBy());
    }

    /** Without behavior: growth capped at max(2 x current, 4), then the 300 s window holds the highest recommendation. */
    @Test
    void withoutBehaviorGrowthIsCappedAndTheDownscaleWindowHoldsTheHighest() {
        Scenario s = new Scenario().policy(T0, queuePolicy(1, 20, null, 0, 0, false)).replicas(T0, 3, 3);
        Decision first = s.queueAt(T0, 10);
        assertEquals(6, first.desiredReplicas());
        assertEquals(DecisionRule.SCALE_UP_LIMIT, first.limitedBy());
        Decision second = s.queueAt(T0.plusSeconds(15), 2);
        assertEquals(10, second.desiredReplicas(), "HPA keeps the highest recommendation of the last 300 s");
        assertEquals(DecisionRule.STABILIZATION_WINDOW, second.limitedBy());
        Decision later = s.queueAt(T0.plusSeconds(316), 2);
        assertEquals(2, later.desiredReplicas());
        assertNull(later.limitedBy());
    }

    @Test
    void clampsToMinAndMax() {
        Scenario s = new Scenario().policy(T0, queuePolicy(2, 5, new Behavior(null, new Rules(0, null, List.of(), null)), 0, 0, false))
                .replicas(T0, 4, 4);
        Decision up = s.queueAt(T0, 50);
        assertEquals(5, up.desiredReplicas());
        assertEquals(DecisionRule.MAX_REPLICAS, up.limitedBy());
        Decision down = s.queueAt(T0.plusSeconds(15), 0.5);
        assertEquals(2, down.desiredReplicas());
        assertEquals(DecisionRule.MIN_REPLICAS, down.limitedBy());
        Decision forced = new Scenario().policy(T0, queuePolicy(2, 5, null, 0, 0, false)).replicas(T0, 9, 9).queueAt(T0, 9);
        assertEquals(5, forced.desiredReplicas());
        assertEquals(DecisionRule.MAX_REPLICAS, forced.limitedBy());
    }

    @Test
    void cooldownAfterAScaleUpHoldsUntilItEnds() {
        Scenario s = new Scenario().policy(T0, queuePolicy(1, 100, new Behavior(null, null), 60, 0, false)).replicas(T0, 2, 2);
        assertEquals(4, s.queueAt(T0, 4).desiredReplicas());
        Decision held = s.queueAt(T0.plusSeconds(30), 8);
        assertEquals(4, held.desiredReplicas());
        assertEquals(DecisionRule.COOLDOWN, held.limitedBy());
        assertEquals(8, s.queueAt(T0.plusSeconds(60), 8).desiredReplicas());
    }

    @Test
    void dryRunRecommendsWithoutChangingTheCount() {
        Scenario s = new Scenario().policy(T0, queuePolicy(1, 100, new Behavior(null, null), 0, 0, true)).replicas(T0, 2, 2);
        Decision d = s.queueAt(T0, 4);
        assertTrue(d.recommendation());
        assertEquals(4, d.desiredReplicas());
        assertEquals(2, s.state.replicas().spec());
        assertEquals(2, s.queueAt(T0.plusSeconds(15), 4).currentReplicas());
    }

    @Test
    void scalesToZeroAfterTheCooldownBelowActivationAndBackFromZeroAboveIt() {
        MetricTarget queue = Scenario.queue(5.0);
        Policy policy = new Policy(Scenario.SERVICE, 1, 0, 10, List.of(queue), new Behavior(null, new Rules(0, null, List.of(), null)),
                0.1, 0, 120, false, ScaleToZero.ACTIVATION);
        Scenario s = new Scenario().policy(T0, policy).replicas(T0, 2, 2);
        assertEquals(1, s.queueAt(T0, 1).desiredReplicas(), "below activation but within the cooldown: HPA with minReplicas 1");
        assertEquals(1, s.queueAt(T0.plusSeconds(60), 1).desiredReplicas());
        Decision zero = s.queueAt(T0.plusSeconds(120), 1);
        assertEquals(0, zero.desiredReplicas());
        assertEquals(DecisionRule.ACTIVATION, zero.limitedBy());
        assertEquals(0, s.queueAt(T0.plusSeconds(135), 5).desiredReplicas(), "at the activation value is not above it");
        Decision wake = s.queueAt(T0.plusSeconds(150), 7);
        assertEquals(1, wake.desiredReplicas());
        assertEquals(DecisionRule.ACTIVATION, wake.limitedBy());
    }

    /** Kubernetes' own scale to zero (no activation): the metric takes the count to 0, and from 0 by its own proposal. */
    @Test
    void withoutActivationMinReplicasZeroIsHpasScaleToZero() {
        Policy policy = new Policy(Scenario.SERVICE, 1, 0, 10, List.of(Scenario.queue(null)),
                new Behavior(null, new Rules(0, null, List.of(), null)), 0.1, 0, 0, false);
        Scenario s = new Scenario().policy(T0, policy).replicas(T0, 3, 3);
        Decision zero = s.queueAt(T0, 0);
        assertEquals(0, zero.desiredReplicas(), "the metric proposes 0 and minReplicas is 0: no cooldown, no activation");
        assertTrue(zero.steps().stream().noneMatch(step -> step.rule() == DecisionRule.ACTIVATION), zero.steps()::toString);
        assertEquals(0, s.queueAt(T0.plusSeconds(15), 0).desiredReplicas());
        Decision up = s.queueAt(T0.plusSeconds(30), 7);
        assertEquals(4, up.desiredReplicas(), "from 0 the metric proposes 7; HPA's default scale-up rate allows 4 pods per 15 s");
        assertEquals(7, s.queueAt(T0.plusSeconds(45), 7).desiredReplicas());
    }

    @Test
    void withoutBehaviorFromZeroGrowthIsCappedAtFour() {
        Policy policy = new Policy(Scenario.SERVICE, 1, 0, 10, List.of(Scenario.queue(null)), null, 0.1, 0, 0, false);
        Decision d = new Scenario().policy(T0, policy).replicas(T0, 0, 0).queueAt(T0, 9);
        assertEquals(4, d.desiredReplicas());
        assertEquals(DecisionRule.SCALE_UP_LIMIT, d.limitedBy());
    }

    /** The batch fold the job and the simulator use is the one-by-one fold: same state, same refusals. */
    @Test
    void applyingABatchIsApplyingEachInTurn() {
        List<Input> inputs = new ArrayList<>();
        inputs.add(new Input.PolicyChange(T0, qpsPolicy()));
        inputs.add(new Input.ReplicaChange(T0, Scenario.SERVICE, 3, 3, 3, null, List.of("a", "b", "c")));
        for (int i = 0; i < 30; i++) {
            inputs.add(new Input.Sample(T0.plusSeconds(i % 7), Scenario.SERVICE, "pod-" + (i % 5), "qps", MetricKind.GAUGE, i, "",
                    InstancePhase.RUNNING, true, false, null, null, null));
        }
        inputs.add(new Input.Sample(T0.plusSeconds(8), Scenario.SERVICE, "pod-1", "qps", MetricKind.GAUGE, 1, "rps",
                InstancePhase.RUNNING, true, false, null, null, null));
        inputs.add(new Input.Sample(T0.plusSeconds(9), Scenario.SERVICE, "pod-1", "qps", MetricKind.GAUGE, 1, "qps",
                InstancePhase.RUNNING, true, false, null, null, null));
        inputs.add(new Input.PolicyChange(T0, qpsPolicy()));
        Autoscaler autoscaler = new Autoscaler(AutoscalerSettings.DEFAULTS);
        DecisionState one = DecisionState.empty(Scenario.SERVICE);
        List<String> refusedOneByOne = new ArrayList<>();
        for (Input input : inputs) {
            Applied applied = autoscaler.apply(one, input);
            one = applied.state();
            if (applied instanceof Applied.Rejected r) {
                refusedOneByOne.add(r.reason());
            }
        }
        Autoscaler.Batch batch = autoscaler.applyAll(DecisionState.empty(Scenario.SERVICE), inputs);
        assertEquals(one, batch.state());
        assertEquals(List.of("unit of series pod-1/qps changed from 'rps' to 'qps'"), refusedOneByOne);
        assertEquals(refusedOneByOne, batch.refused().stream().map(Autoscaler.Refusal::reason).toList());
    }

    /** HPA decides over the pods its selector lists; a replica status may carry that list. */
    static Policy qpsPolicy() {
        MetricTarget qps = new MetricTarget("qps", MetricSourceType.PODS, TargetType.AVERAGE_VALUE, 10, null, null, null, false);
        return new Policy(Scenario.SERVICE, 1, 1, 20, List.of(qps), new Behavior(null, new Rules(0, null, List.of(), null)), 0.1, 0, 0,
                false);
    }

    @ParameterizedTest(name = "listed {0}")
    @ValueSource(booleans = {true, false})
    void podsRemovedByAScaleDownLeaveAtOnceWhenTheStatusListsThePods(boolean listed) {
        Scenario s = new Scenario().policy(T0, qpsPolicy()).replicas(T0, 15, 15);
        List<String> pods = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            pods.add("pod-" + i);
            s.sample(T0, "pod-" + i, "qps", 1);
        }
        assertEquals(2, s.decide(T0).desiredReplicas());
        if (listed) {
            s.listing(T0.plusSeconds(10), 2, pods.subList(0, 2));
        } else {
            s.replicas(T0.plusSeconds(10), 2, 2);
        }
        s.sample(T0.plusSeconds(15), "pod-0", "qps", 10).sample(T0.plusSeconds(15), "pod-1", "qps", 10);
        Decision next = s.decide(T0.plusSeconds(15));
        // unlisted, the 13 removed pods still count as ready for 60 s with their last samples: a spurious 2 -> 4
        assertEquals(listed ? 2 : 4, next.desiredReplicas(), next.steps()::toString);
        assertEquals(listed ? Set.of("pod-0", "pod-1") : Set.copyOf(pods), s.state.instances().keySet());
    }

    @ParameterizedTest(name = "listed {0}")
    @ValueSource(booleans = {true, false})
    void aListedPodWithoutSamplesIsMissingAndAnUnlistedOneIsIgnored(boolean listed) {
        Scenario s = new Scenario().policy(T0, qpsPolicy());
        if (listed) {
            s.listing(T0, 3, List.of("a", "b", "c"));
        } else {
            s.replicas(T0, 3, 3);
        }
        s.sample(T0, "a", "qps", 2).sample(T0, "b", "qps", 2).sample(T0, "stray", "qps", 2);
        Decision d = s.decide(T0);
        // listed: a and b at 2, c missing (filled at the target on a scale-down): (2 + 2 + 10) / 3 / 10 x 3 -> 2;
        // from samples alone: a, b and the stray at 2: 0.2 x 3 -> 1
        assertEquals(listed ? 2 : 1, d.desiredReplicas(), d.steps()::toString);
    }

    @Test
    void aTargetAtZeroReplicasWithANonZeroMinimumIsLeftAlone() {
        Decision d = new Scenario().policy(T0, queuePolicy(2, 10, null, 0, 0, false)).replicas(T0, 0, 0).queueAt(T0, 8);
        assertEquals(0, d.desiredReplicas());
        assertEquals(DecisionRule.DISABLED, d.limitedBy());
    }

    @Test
    void anUnavailableMetricBlocksAScaleDownButNotAScaleUp() {
        MetricTarget missing = new MetricTarget("latency", MetricSourceType.OBJECT, TargetType.VALUE, 100, null, null, null, false);
        Policy policy = new Policy(Scenario.SERVICE, 1, 1, 20, List.of(Scenario.queue(null), missing),
                new Behavior(null, new Rules(0, null, List.of(), null)), 0.1, 0, 0, false);
        Scenario s = new Scenario().policy(T0, policy).replicas(T0, 6, 6);
        Decision down = s.queueAt(T0, 2);
        assertEquals(6, down.desiredReplicas());
        assertEquals(DecisionRule.METRICS, down.limitedBy());
        assertEquals(MetricStatus.MISSING, down.metrics().get(1).status());
        assertEquals(9, s.queueAt(T0.plusSeconds(15), 9).desiredReplicas());
    }

    @Test
    void severalMetricsTakeTheLargestProposal() {
        MetricTarget rps = new MetricTarget("rps", MetricSourceType.PODS, TargetType.AVERAGE_VALUE, 100, null, null, null, false);
        Policy policy = new Policy(Scenario.SERVICE, 1, 1, 20, List.of(Scenario.queue(null), rps), new Behavior(null, null), 0.1, 0, 0, false);
        Scenario s = new Scenario().policy(T0, policy).replicas(T0, 2, 2);
        s.sample(T0, "pod-a", "rps", 300).sample(T0, "pod-b", "rps", 300);
        Decision d = s.queueAt(T0, 3);
        assertEquals(6, d.desiredReplicas());
        assertEquals(List.of(3, 6), d.metrics().stream().map(Decision.MetricEvaluation::proposedReplicas).toList());
        assertEquals(T0, d.windowStart());
    }

    @Test
    void inputsThatContradictTheStateAreRejectedAndOlderOnesSuperseded() {
        Scenario s = new Scenario().policy(T0, new Policy(Scenario.SERVICE, 5, 1, 10, List.of(Scenario.queue(null)), null, 0.1, 0, 0, false));
        Applied back = s.apply(new Input.PolicyChange(T0.plusSeconds(1), new Policy(Scenario.SERVICE, 4, 1, 10, List.of(Scenario.queue(null)), null, 0.1, 0, 0, false)));
        assertEquals("policy version 4 of checkout goes backwards: version 5 is in force",
                assertInstanceOf(Applied.Rejected.class, back).reason());
        s.accept(T0, "cores");
        Applied unit = s.apply(sample(T0.plusSeconds(15), "millicores"));
        assertEquals("unit of series pod-a/cpu changed from 'cores' to 'millicores'", assertInstanceOf(Applied.Rejected.class, unit).reason());
        assertInstanceOf(Applied.Superseded.class, s.apply(sample(T0.minusSeconds(15), "cores")));
    }

    @Test
    void nothingIsDecidedWithoutAPolicyAndAReplicaStatus() {
        Autoscaler autoscaler = new Autoscaler(AutoscalerSettings.DEFAULTS);
        Evaluation e = autoscaler.decide(DecisionState.empty("checkout"), T0);
        assertEquals("no policy for service checkout yet", assertInstanceOf(Evaluation.Undecidable.class, e).reason());
    }

    @Test
    void instancesSilentForLongerThanTheExpiryAreForgotten() {
        Scenario s = new Scenario().policy(T0, queuePolicy(1, 10, null, 0, 0, false)).replicas(T0, 2, 2);
        s.sample(T0, "pod-a", "cpu", 0.1);
        s.queueAt(T0.plusSeconds(121), 2);
        assertTrue(s.state.instances().containsKey("orders-queue"));
        assertTrue(!s.state.instances().containsKey("pod-a"));
    }

    private static Input.Sample sample(java.time.Instant at, String unit) {
        return new Input.Sample(at, Scenario.SERVICE, "pod-a", "cpu", MetricKind.GAUGE, 0.2, unit, InstancePhase.RUNNING, true,
                false, null, null, 0.5);
    }
}
