package io.ballast.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.ballast.events.Envelope;
import io.ballast.events.MetricSourceType;
import io.ballast.events.MetricTarget;
import io.ballast.events.ScaleToZero;
import io.ballast.events.ScalingBehavior;
import io.ballast.events.ScalingPolicy;
import io.ballast.events.ScalingRules;
import io.ballast.events.TargetType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tolerances as Kubernetes takes them (any finite value of at least 0), and the two ways to minReplicas 0. */
class PolicyValidationTest {

    @ParameterizedTest(name = "tolerance {0}")
    @CsvSource(delimiter = '|', value = {
        "0.0|",
        "0.1|",
        "1.0|",
        "2.5|",
        "-0.1|$.tolerance: must be a number of at least 0, got -0.1",
        "NaN|$.tolerance: must be a number of at least 0, got NaN",
        "Infinity|$.tolerance: must be a number of at least 0, got Infinity"})
    void aToleranceIsAnyFiniteValueOfAtLeastZero(double tolerance, String error) {
        assertEquals(error == null ? List.of() : List.of(error), PolicyValidation.check(policy(tolerance, null)));
    }

    @ParameterizedTest(name = "scale-down tolerance {0}")
    @CsvSource(delimiter = '|', value = {"1.5|", "-1|$.behavior.scaleDown.tolerance: must be a number of at least 0, got -1.0"})
    void aDirectionsToleranceFollowsTheSameRule(double tolerance, String error) {
        assertEquals(error == null ? List.of() : List.of(error), PolicyValidation.check(policy(0.1, tolerance)));
    }

    @ParameterizedTest(name = "min {0}, {1} metric, {2}, activation {3}")
    @CsvSource(delimiter = '|', value = {
        "0|OBJECT|HPA||",
        "0|EXTERNAL|HPA||",
        "0|PODS|HPA||$.minReplicas: 0 needs an OBJECT, EXTERNAL or CONSUMER_LAG metric (as Kubernetes: with no pods there is no pod metric to scale up by), or scaleToZero ACTIVATION with an activationValue",
        "0|PODS|ACTIVATION|5|",
        "0|OBJECT|ACTIVATION||$.minReplicas: 0 with scaleToZero ACTIVATION needs an activationValue on at least one metric",
        "1|OBJECT|ACTIVATION|5|$.scaleToZero: ACTIVATION needs minReplicas 0, got 1"})
    void scaleToZeroIsKubernetesOwnOrKedasActivation(int min, MetricSourceType source, ScaleToZero mode, Double activation, String error) {
        MetricTarget metric = MetricTarget.newBuilder().setName("queue").setSource(source).setTargetType(TargetType.AVERAGE_VALUE)
                .setTarget(1).setActivationValue(activation).build();
        ScalingPolicy policy = ScalingPolicy.newBuilder(policy(0.1, null)).setMinReplicas(min).setMetrics(List.of(metric))
                .setScaleToZero(mode).build();
        assertEquals(error == null ? List.of() : List.of(error), PolicyValidation.check(policy));
    }

    private static ScalingPolicy policy(double tolerance, Double downTolerance) {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        MetricTarget queue = MetricTarget.newBuilder().setName("queue").setSource(MetricSourceType.OBJECT)
                .setTargetType(TargetType.AVERAGE_VALUE).setTarget(1).build();
        ScalingPolicy.Builder policy = ScalingPolicy.newBuilder()
                .setEnvelope(Envelope.newBuilder().setEventId(UUID.randomUUID()).setType("ScalingPolicy").setSource("test")
                        .setSubject("checkout").setOccurredAt(at).setRecordedAt(at).build())
                .setService("checkout").setVersion(1).setMinReplicas(1).setMaxReplicas(10).setMetrics(List.of(queue))
                .setTolerance(tolerance);
        if (downTolerance != null) {
            policy.setBehavior(ScalingBehavior.newBuilder().setScaleDown(ScalingRules.newBuilder().setTolerance(downTolerance).build())
                    .build());
        }
        return policy.build();
    }
}
