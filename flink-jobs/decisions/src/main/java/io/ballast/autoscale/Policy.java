package io.ballast.autoscale;

import java.util.List;

import io.ballast.events.HpaPolicyType;
import io.ballast.events.MetricSourceType;
import io.ballast.events.ScaleToZero;
import io.ballast.events.ScalingPolicy;
import io.ballast.events.SelectPolicy;
import io.ballast.events.TargetType;

/**
 * A service's autoscaling policy as the decision logic reads it: the HPA v2 spec (min, max, metrics,
 * behavior, tolerance) plus Ballast's cooldowns, dry-run and how minReplicas 0 is reached ({@link ScaleToZero}). Build one from the event with
 * {@link #from(ScalingPolicy)}; validate the event first with {@link PolicyValidation}.
 *
 * @param behavior null means HPA's path without {@code behavior}
 */
public record Policy(String service, long version, int minReplicas, int maxReplicas, List<MetricTarget> metrics,
                     Behavior behavior, double tolerance, int scaleUpCooldownSeconds, int scaleDownCooldownSeconds,
                     boolean dryRun, ScaleToZero scaleToZero, HeadroomRule headroom) {

    public Policy {
        metrics = List.copyOf(metrics);
        scaleToZero = scaleToZero == null ? ScaleToZero.HPA : scaleToZero;
    }

    /** A policy that leaves scaling to zero as HPA does it. */
    public Policy(String service, long version, int minReplicas, int maxReplicas, List<MetricTarget> metrics, Behavior behavior,
                  double tolerance, int scaleUpCooldownSeconds, int scaleDownCooldownSeconds, boolean dryRun) {
        this(service, version, minReplicas, maxReplicas, metrics, behavior, tolerance, scaleUpCooldownSeconds, scaleDownCooldownSeconds,
                dryRun, ScaleToZero.HPA, null);
    }

    /** A policy without the headroom extension. */
    public Policy(String service, long version, int minReplicas, int maxReplicas, List<MetricTarget> metrics, Behavior behavior,
                  double tolerance, int scaleUpCooldownSeconds, int scaleDownCooldownSeconds, boolean dryRun, ScaleToZero scaleToZero) {
        this(service, version, minReplicas, maxReplicas, metrics, behavior, tolerance, scaleUpCooldownSeconds, scaleDownCooldownSeconds,
                dryRun, scaleToZero, null);
    }

    /** Ballast's extension beyond HPA (see the {@code Headroom} schema's doc); {@code forecastOnly} only records what it would do. */
    public record HeadroomRule(boolean forecastOnly, double utilization, double riseWeight, int riseHalfLifeSeconds,
                               int downHalfLifeSeconds) {
    }

    /** Whether minReplicas 0 goes through KEDA's activation rather than HPA's own scale to zero. */
    public boolean activatesFromZero() {
        return minReplicas == 0 && scaleToZero == ScaleToZero.ACTIVATION;
    }

    /** One metric and its target, as an HPA v2 MetricSpec. */
    public record MetricTarget(String name, MetricSourceType source, TargetType targetType, double target,
                               Double activationValue, String consumerGroup, String topic, boolean allowIdleConsumers) {
    }

    /** HPA v2 {@code behavior}; a null direction takes HPA's defaults for it. */
    public record Behavior(Rules scaleUp, Rules scaleDown) {
    }

    /**
     * HPA v2 {@code HPAScalingRules}. Null fields take HPA's defaults: stabilization 0 s up and 300 s
     * down, select MAX, the default policies of the direction, the policy's tolerance.
     */
    public record Rules(Integer stabilizationWindowSeconds, SelectPolicy selectPolicy, List<RatePolicy> policies,
                        Double tolerance) {
        public Rules {
            policies = policies == null ? List.of() : List.copyOf(policies);
        }
    }

    /** One HPA scaling policy: change by {@code value} pods or percent per {@code periodSeconds}. */
    public record RatePolicy(HpaPolicyType type, int value, int periodSeconds) {
    }

    /** The policy an event describes. */
    public static Policy from(ScalingPolicy event) {
        List<MetricTarget> metrics = event.getMetrics().stream()
                .map(m -> new MetricTarget(m.getName(), m.getSource(), m.getTargetType(), m.getTarget(),
                        m.getActivationValue(), m.getConsumerGroup(), m.getTopic(), m.getAllowIdleConsumers()))
                .toList();
        Behavior behavior = event.getBehavior() == null ? null
                : new Behavior(rules(event.getBehavior().getScaleUp()), rules(event.getBehavior().getScaleDown()));
        return new Policy(event.getService(), event.getVersion(), event.getMinReplicas(), event.getMaxReplicas(), metrics,
                behavior, event.getTolerance(), event.getScaleUpCooldownSeconds(), event.getScaleDownCooldownSeconds(),
                event.getDryRun(), event.getScaleToZero(), event.getHeadroom() == null ? null : new HeadroomRule(
                        event.getHeadroom().getMode() == io.ballast.events.HeadroomMode.FORECAST_ONLY, event.getHeadroom().getUtilization(),
                        event.getHeadroom().getRiseWeight(), event.getHeadroom().getRiseHalfLifeSeconds(),
                        event.getHeadroom().getDownHalfLifeSeconds()));
    }

    private static Rules rules(io.ballast.events.ScalingRules rules) {
        if (rules == null) {
            return null;
        }
        return new Rules(rules.getStabilizationWindowSeconds(), rules.getSelectPolicy(),
                rules.getPolicies().stream().map(p -> new RatePolicy(p.getType(), p.getValue(), p.getPeriodSeconds())).toList(),
                rules.getTolerance());
    }
}
