package io.ballast.autoscale;

import static io.ballast.autoscale.Fleet.COOL;
import static io.ballast.autoscale.Fleet.HOT;
import static io.ballast.autoscale.Fleet.NOW;
import static io.ballast.autoscale.Fleet.pods;
import static io.ballast.autoscale.Fleet.requests;
import static io.ballast.events.InstancePhase.FAILED;
import static io.ballast.events.InstancePhase.PENDING;
import static io.ballast.events.InstancePhase.RUNNING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import io.ballast.autoscale.DecisionState.Instance;
import io.ballast.autoscale.MetricOutcome.Proposal;
import io.ballast.autoscale.MetricOutcome.Unavailable;
import io.ballast.autoscale.Policy.MetricTarget;
import io.ballast.events.InstancePhase;
import io.ballast.events.MetricSourceType;
import io.ballast.events.MetricStatus;
import io.ballast.events.TargetType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cases of Kubernetes' own replica_calculator_test.go (HPA v2), each named after the Go test it
 * reproduces, with the same inputs and expected replicas and utilisation. "Hot" pods there are pods
 * whose CPU sample predates a sample window after they became ready; here that is an instance started
 * a minute ago that turned ready 5 s before the sample.
 */
class ReplicaCalculatorTest {
    private static final ReplicaCalculator CALCULATOR = new ReplicaCalculator(AutoscalerSettings.DEFAULTS);
    private static final Tolerances TOLERANCE = new Tolerances(0.1, 0.1);
    private static final boolean T = true;
    private static final boolean F = false;

    static Stream<Arguments> cpuCases() {
        return Stream.of(
                cpu("TestReplicaCalcScaleUp", 3, 5, 50, 30, levels(300, 500, 700), null, null, null, null),
                cpu("TestReplicaCalcScaleUpUnreadyLessScale", 3, 4, 60, 30, levels(300, 500, 700), flags(F, T, T), null, null, null),
                cpu("TestReplicaCalcScaleUpHotCpuLessScale", 3, 4, 60, 30, levels(300, 500, 700), null, null, starts(HOT, COOL, COOL), null),
                cpu("TestReplicaCalcScaleUpUnreadyNoScale", 3, 3, 40, 30, levels(400, 500, 700), flags(T, F, F), null, null, null),
                cpu("TestReplicaCalcScaleDown", 5, 3, 28, 50, levels(100, 300, 500, 250, 250), null, null, null, null),
                cpu("TestReplicaCalcScaleDownIncludeUnreadyPods", 5, 2, 30, 50, levels(100, 300, 500, 250, 250), flags(T, T, T, F, F), null, null, null),
                cpu("TestReplicaCalcScaleDownExcludeUnscheduledPods", 5, 1, 10, 50, levels(100), flags(T, F, F, F, F),
                        phases(RUNNING, PENDING, PENDING, PENDING, PENDING), null, null),
                cpu("TestReplicaCalcScaleDownIgnoreHotCpuPods", 5, 2, 30, 50, levels(100, 300, 500, 250, 250), null, null,
                        starts(COOL, COOL, COOL, HOT, HOT), null),
                cpu("TestReplicaCalcScaleDownIgnoresFailedPods", 5, 3, 28, 50, levels(100, 300, 500, 250, 250), flags(T, T, T, T, T, F, F),
                        phases(RUNNING, RUNNING, RUNNING, RUNNING, RUNNING, FAILED, FAILED), null, null),
                cpu("TestReplicaCalcScaleDownIgnoresDeletionPods", 5, 3, 28, 50, levels(100, 300, 500, 250, 250), flags(T, T, T, T, T, F, F),
                        phases(RUNNING, RUNNING, RUNNING, RUNNING, RUNNING, RUNNING, RUNNING), null, flags(F, F, F, F, F, T, T)),
                cpu("TestReplicaCalcMissingMetrics", 4, 3, 24, 100, levels(400, 95), null, null, null, null),
                cpu("TestReplicaCalcMissingMetricsNoChangeEq", 2, 2, 100, 100, levels(1000), null, null, null, null),
                cpu("TestReplicaCalcMissingMetricsNoChangeGt", 2, 2, 190, 100, levels(1900), null, null, null, null),
                cpu("TestReplicaCalcMissingMetricsNoChangeLt", 2, 2, 60, 100, levels(600), null, null, null, null),
                cpu("TestReplicaCalcMissingMetricsUnreadyChange", 3, 3, 45, 50, levels(100, 450), flags(F, T, T), null, null, null),
                cpu("TestReplicaCalcMissingMetricsHotCpuNoChange", 3, 3, 45, 50, levels(100, 450), null, null, starts(HOT, COOL, COOL), null),
                cpu("TestReplicaCalcMissingMetricsUnreadyScaleUp", 3, 4, 200, 50, levels(100, 2000), flags(F, T, T), null, null, null),
                cpu("TestReplicaCalcMissingMetricsHotCpuScaleUp", 3, 4, 200, 50, levels(100, 2000), flags(F, T, T), null,
                        starts(HOT, COOL, COOL), null),
                cpu("TestReplicaCalcMissingMetricsUnreadyScaleDown", 4, 3, 10, 50, levels(100, 100, 100), flags(F, T, T, T), null, null, null),
                cpu("TestReplicaCalcDuringRollingUpdateWithMaxSurge", 2, 2, 10, 50, levels(100, 100), null, phases(RUNNING, RUNNING, RUNNING), null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cpuCases")
    void utilizationAsHpa(String name, int current, int expected, long utilization, int target, long[] levels, boolean[] ready,
                          InstancePhase[] phases, Instant[] starts, boolean[] deleted) {
        int count = Math.max(current, Math.max(phases == null ? 0 : phases.length, ready == null ? 0 : ready.length));
        List<Instance> pods = pods("cpu", count, levels, requests(count, 1.0), ready, phases, starts, deleted);
        MetricOutcome outcome = CALCULATOR.propose(cpuTarget(target), pods, pods, current, current, TOLERANCE, NOW);
        Proposal p = assertInstanceOf(Proposal.class, outcome, name);
        assertEquals(expected, p.replicas(), name + ": replicas (" + p.note() + ")");
        assertEquals(utilization, (long) p.currentValue(), name + ": utilization");
    }

    @Test
    void toleranceWithUnequalRequestsAsHpaTestReplicaCalcTolerance() {
        List<Instance> pods = pods("cpu", 3, levels(1010, 1030, 1020), new double[] {0.9, 1.0, 1.1}, null, null, null, null);
        Proposal p = (Proposal) CALCULATOR.propose(cpuTarget(100), pods, pods, 3, 3, TOLERANCE, NOW);
        assertEquals(3, p.replicas());
        assertEquals(102, (long) p.currentValue());
    }

    @Test
    void aPodWithoutRequestMakesUtilizationInvalidAsHpaTestReplicaCalcEmptyCPURequest() {
        List<Instance> pods = pods("cpu", 1, levels(200), null, null, null, null, null);
        Unavailable u = assertInstanceOf(Unavailable.class, CALCULATOR.propose(cpuTarget(100), pods, pods, 1, 1, TOLERANCE, NOW));
        assertEquals(MetricStatus.INVALID, u.status());
        assertEquals("missing request for cpu of instance pod-0", u.reason());
    }

    static Stream<Arguments> podMetricCases() {
        return Stream.of(
                Arguments.of("TestReplicaCalcScaleUpCM", 3, 4, levels(20000, 10000, 30000), 15.0, null, null),
                Arguments.of("TestReplicaCalcScaleUpCMUnreadyHotCpuNoLessScale", 3, 6, levels(50000, 10000, 30000), 15.0, flags(T, T, F), starts(COOL, COOL, HOT)),
                Arguments.of("TestReplicaCalcScaleUpCMUnreadyHotCpuScaleWouldScaleDown", 3, 7, levels(50000, 15000, 30000), 15.0, flags(F, T, F), starts(HOT, COOL, HOT)),
                Arguments.of("TestReplicaCalcScaleDownCM", 5, 3, levels(12000, 12000, 12000, 12000, 12000), 20.0, null, null),
                Arguments.of("TestReplicaCalcToleranceCM", 3, 3, levels(20000, 21000, 21000), 20.0, null, null),
                // HPA fills no missing pod at a ratio of exactly 1.0 (filling at 0 would read 0.67 and scale down to 2)
                Arguments.of("missing pod at a ratio of exactly 1.0 keeps the count", 3, 3, levels(20000, 20000), 20.0, null, null),
                Arguments.of("missing pod on a scale-down filled at the target", 4, 3, levels(10000, 10000, 10000), 20.0, null, null),
                Arguments.of("missing pod on a scale-up filled at 0", 3, 4, levels(40000, 40000), 20.0, null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("podMetricCases")
    void podsMetricAsHpa(String name, int current, int expected, long[] levels, double target, boolean[] ready, Instant[] starts) {
        List<Instance> pods = pods("qps", current, levels, null, ready, null, starts, null);
        MetricTarget qps = new MetricTarget("qps", MetricSourceType.PODS, TargetType.AVERAGE_VALUE, target, null, null, null, false);
        Proposal p = (Proposal) CALCULATOR.propose(qps, pods, pods, current, current, TOLERANCE, NOW);
        assertEquals(expected, p.replicas(), name + " (" + p.note() + ")");
    }

    static Stream<Arguments> seriesMetricCases() {
        return Stream.of(
                Arguments.of("TestReplicaCalcScaleUpCMObject", MetricSourceType.OBJECT, TargetType.VALUE, 3, 4, 20.0, 15.0, null),
                Arguments.of("TestReplicaCalcScaleUpCMPerPodObject", MetricSourceType.OBJECT, TargetType.AVERAGE_VALUE, 3, 4, 20.0, 5.0, null),
                Arguments.of("TestReplicaCalcScaleUpCMObjectIgnoresUnreadyPods", MetricSourceType.OBJECT, TargetType.VALUE, 3, 5, 50.0, 10.0, flags(F, T, F)),
                Arguments.of("TestReplicaCalcScaleUpCMExternal", MetricSourceType.EXTERNAL, TargetType.VALUE, 1, 2, 8.6, 4.4, null),
                Arguments.of("TestReplicaCalcScaleUpCMExternalIgnoresUnreadyPods", MetricSourceType.EXTERNAL, TargetType.VALUE, 3, 2, 8.6, 4.4, flags(F, T, F)),
                Arguments.of("TestReplicaCalcScaleUpPerPodCMExternal", MetricSourceType.EXTERNAL, TargetType.AVERAGE_VALUE, 3, 4, 8.6, 2.15, null),
                Arguments.of("TestReplicaCalcScaleDownPerPodCMObject", MetricSourceType.OBJECT, TargetType.AVERAGE_VALUE, 5, 3, 6.0, 2.0, null),
                Arguments.of("TestReplicaCalcScaleDownCMObject", MetricSourceType.OBJECT, TargetType.VALUE, 5, 3, 12.0, 20.0, null),
                Arguments.of("TestReplicaCalcScaleDownCMExternal", MetricSourceType.EXTERNAL, TargetType.VALUE, 5, 3, 8.6, 14.334, null),
                Arguments.of("TestReplicaCalcScaleDownPerPodCMExternal", MetricSourceType.EXTERNAL, TargetType.AVERAGE_VALUE, 5, 3, 8.6, 2.867, null),
                Arguments.of("TestReplicaCalcToleranceCMObject", MetricSourceType.OBJECT, TargetType.VALUE, 3, 3, 20.666, 20.0, null),
                Arguments.of("TestReplicaCalcTolerancePerPodCMObject", MetricSourceType.OBJECT, TargetType.AVERAGE_VALUE, 4, 4, 20.166, 5.0, null),
                Arguments.of("TestReplicaCalcToleranceCMExternal", MetricSourceType.EXTERNAL, TargetType.VALUE, 3, 3, 8.6, 8.888, null),
                Arguments.of("TestReplicaCalcTolerancePerPodCMExternal", MetricSourceType.EXTERNAL, TargetType.AVERAGE_VALUE, 3, 3, 8.6, 2.9, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seriesMetricCases")
    void objectAndExternalMetricsAsHpa(String name, MetricSourceType source, TargetType type, int current, int expected,
                                       double value, double target, boolean[] ready) {
        List<Instance> pods = pods("cpu", current, levels(), requests(current, 1.0), ready, null, null, null);
        List<Instance> series = List.of(Fleet.pod("queue", "qps", value, null));
        MetricTarget qps = new MetricTarget("qps", source, type, target, null, null, null, false);
        Proposal p = (Proposal) CALCULATOR.propose(qps, pods, series, current, current, TOLERANCE, NOW);
        assertEquals(expected, p.replicas(), name + " (" + p.note() + ")");
    }

    @Test
    void consumerLagIsKedasTotalOverThresholdCappedAtPartitions() {
        MetricTarget lag = new MetricTarget("lag", MetricSourceType.CONSUMER_LAG, TargetType.AVERAGE_VALUE, 100, null, "g", "orders", false);
        List<Instance> partitions = List.of(Fleet.pod("orders-0", "lag", 900, null), Fleet.pod("orders-1", "lag", 850, null),
                Fleet.pod("orders-2", "lag", 0, null));
        Proposal capped = (Proposal) CALCULATOR.propose(lag, List.of(), partitions, 2, 2, TOLERANCE, NOW);
        assertEquals(3, capped.replicas(), capped.note());
        assertEquals(300.0, capped.metricValue());

        MetricTarget idle = new MetricTarget("lag", MetricSourceType.CONSUMER_LAG, TargetType.AVERAGE_VALUE, 100, null, "g", "orders", true);
        Proposal uncapped = (Proposal) CALCULATOR.propose(idle, List.of(), partitions, 2, 2, TOLERANCE, NOW);
        assertEquals(18, uncapped.replicas(), uncapped.note());
        assertEquals(1750.0, uncapped.metricValue());
    }

    @Test
    void aCounterScalesOnItsRateAndAResetCountsFromZero() {
        DecisionState.Series rising = new DecisionState.Series(io.ballast.events.MetricKind.COUNTER, "requests", NOW, 1300,
                NOW.minusSeconds(10), 1000.0, null);
        assertEquals(30.0, ReplicaCalculator.value(rising));
        DecisionState.Series reset = new DecisionState.Series(io.ballast.events.MetricKind.COUNTER, "requests", NOW, 200,
                NOW.minusSeconds(10), 1000.0, null);
        assertEquals(20.0, ReplicaCalculator.value(reset));
    }

    @Test
    void milliValuesRoundUpLikeKubernetesQuantities() {
        assertEquals(300, ReplicaCalculator.milli(0.3));
        assertEquals(1, ReplicaCalculator.milli(0.0001));
        assertEquals(14334, ReplicaCalculator.milli(14.334));
        assertEquals(-1, ReplicaCalculator.milli(-0.0015));
        assertEquals(1_000_000_000_001L, ReplicaCalculator.milli(1_000_000_000.0001));
    }

    @Test
    void milliValuesAreTheDecimalArithmeticsOfTheValuesShortestDecimal() {
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 200_000; i++) {
            double value = switch (i % 4) {
                case 0 -> Math.round(random.nextDouble() * 1e6) / 1000.0;
                case 1 -> Math.round(random.nextGaussian() * 1e9) / 1e4;
                case 2 -> random.nextDouble() * Math.pow(10, random.nextInt(12) - 3);
                default -> Math.round(random.nextDouble() * 1e12) / 1000.0;
            };
            long exact = new java.math.BigDecimal(Double.toString(value)).movePointRight(3)
                    .setScale(0, java.math.RoundingMode.CEILING).longValueExact();
            assertEquals(exact, ReplicaCalculator.milli(value), () -> "milli of " + value);
        }
    }

    private static MetricTarget cpuTarget(int percent) {
        return new MetricTarget("cpu", MetricSourceType.RESOURCE, TargetType.UTILIZATION, percent, null, null, null, false);
    }

    private static Arguments cpu(String name, int current, int expected, long utilization, int target, long[] levels,
                                 boolean[] ready, InstancePhase[] phases, Instant[] starts, boolean[] deleted) {
        return Arguments.of(name, current, expected, utilization, target, levels, ready, phases, starts, deleted);
    }

    private static long[] levels(long... values) {
        return values;
    }

    private static boolean[] flags(boolean... values) {
        return values;
    }

    private static InstancePhase[] phases(InstancePhase... values) {
        return values;
    }

    private static Instant[] starts(Instant... values) {
        return values;
    }
}
