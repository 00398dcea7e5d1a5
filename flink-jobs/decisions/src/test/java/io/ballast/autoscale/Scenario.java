package io.ballast.autoscale;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Instant;
import java.util.List;

import io.ballast.autoscale.Autoscaler.Applied;
import io.ballast.autoscale.Autoscaler.Evaluation;
import io.ballast.autoscale.Policy.Behavior;
import io.ballast.autoscale.Policy.MetricTarget;
import io.ballast.events.InstancePhase;
import io.ballast.events.MetricKind;
import io.ballast.events.MetricSourceType;
import io.ballast.events.TargetType;

/** Drives an {@link Autoscaler} through inputs and evaluations of one service, as the job does. */
final class Scenario {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final String SERVICE = "checkout";

    final Autoscaler autoscaler;
    DecisionState state = DecisionState.empty(SERVICE);

    Scenario() {
        this(AutoscalerSettings.DEFAULTS);
    }

    Scenario(AutoscalerSettings settings) {
        this.autoscaler = new Autoscaler(settings);
    }

    /** A policy on one OBJECT AverageValue metric "queue" with target 1: the metric's value is the count it proposes. */
    static Policy queuePolicy(int min, int max, Behavior behavior, int upCooldown, int downCooldown, boolean dryRun) {
        return new Policy(SERVICE, 1, min, max, List.of(queue(null)), behavior, 0.1, upCooldown, downCooldown, dryRun);
    }

    static MetricTarget queue(Double activation) {
        return new MetricTarget("queue", MetricSourceType.OBJECT, TargetType.AVERAGE_VALUE, 1, activation, null, null, false);
    }

    Scenario policy(Instant at, Policy policy) {
        return accept(new Input.PolicyChange(at, policy));
    }

    Scenario replicas(Instant at, int spec, int status) {
        return accept(new Input.ReplicaChange(at, SERVICE, spec, status, status, null));
    }

    /** A replica status that lists the instances the orchestrator runs. */
    Scenario listing(Instant at, int spec, List<String> instances) {
        return accept(new Input.ReplicaChange(at, SERVICE, spec, spec, spec, null, instances));
    }

    Scenario sample(Instant at, String instance, String metric, double value) {
        return accept(new Input.Sample(at, SERVICE, instance, metric, MetricKind.GAUGE, value, "", InstancePhase.RUNNING,
                true, false, null, null, null));
    }

    Applied apply(Input input) {
        Applied applied = autoscaler.apply(state, input);
        state = applied.state();
        return applied;
    }

    /** Accepts a cpu sample of pod-a in {@code unit}. */
    Scenario accept(Instant at, String unit) {
        return accept(new Input.Sample(at, SERVICE, "pod-a", "cpu", MetricKind.GAUGE, 0.2, unit, InstancePhase.RUNNING, true,
                false, null, null, 0.5));
    }

    Scenario accept(Input input) {
        assertInstanceOf(Applied.Accepted.class, apply(input), () -> "input refused: " + input);
        return this;
    }

    /** Evaluates at {@code at} and returns the decision. */
    Decision decide(Instant at) {
        Evaluation evaluation = autoscaler.decide(state, at);
        state = evaluation.state();
        return assertInstanceOf(Evaluation.Decided.class, evaluation, () -> "undecidable: " + evaluation).decision();
    }

    /** Sets the queue to {@code value} at {@code at} and evaluates then. */
    Decision queueAt(Instant at, double value) {
        sample(at, "orders-queue", "queue", value);
        return decide(at);
    }
}
