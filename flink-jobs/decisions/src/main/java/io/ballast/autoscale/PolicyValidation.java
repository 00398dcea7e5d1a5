package io.ballast.autoscale;

import java.util.ArrayList;
import java.util.List;

import io.ballast.events.HpaScalingPolicy;
import io.ballast.events.MetricSourceType;
import io.ballast.events.MetricTarget;
import io.ballast.events.ScaleToZero;
import io.ballast.events.ScalingPolicy;
import io.ballast.events.ScalingRules;
import io.ballast.events.TargetType;

/**
 * The semantic rules a policy must meet beyond its schema, as HPA's API validation states them plus
 * Ballast's: each violation names the field and what to fix. Used by {@code ballast produce} to refuse
 * a policy and by the job to dead-letter one (the previous valid policy stays in force).
 */
public final class PolicyValidation {
    private PolicyValidation() {
    }

    /** Every violation, each as "path: what is wrong"; empty when the policy is valid. */
    /**
     * The violations of a policy as the decision logic holds it (the state document {@code autoscale evaluate} reads):
     * the same rules as the event's, on the event it stands for.
     */
    public static List<String> check(Policy policy) {
        return check(toEvent(policy));
    }

    private static ScalingPolicy toEvent(Policy p) {
        java.time.Instant epoch = java.time.Instant.EPOCH;
        ScalingPolicy.Builder event = ScalingPolicy.newBuilder()
                .setEnvelope(io.ballast.events.Envelope.newBuilder().setEventId(new java.util.UUID(0, 0)).setType("ScalingPolicy")
                        .setSource("state").setSubject(p.service()).setOccurredAt(epoch).setRecordedAt(epoch).build())
                .setService(p.service()).setVersion(p.version()).setMinReplicas(p.minReplicas()).setMaxReplicas(p.maxReplicas())
                .setMetrics(p.metrics().stream().map(m -> MetricTarget.newBuilder().setName(m.name()).setSource(m.source())
                        .setTargetType(m.targetType()).setTarget(m.target()).setActivationValue(m.activationValue())
                        .setConsumerGroup(m.consumerGroup()).setTopic(m.topic()).setAllowIdleConsumers(m.allowIdleConsumers()).build())
                        .toList())
                .setTolerance(p.tolerance()).setScaleUpCooldownSeconds(p.scaleUpCooldownSeconds())
                .setScaleDownCooldownSeconds(p.scaleDownCooldownSeconds()).setDryRun(p.dryRun()).setScaleToZero(p.scaleToZero());
        if (p.headroom() != null) {
            event.setHeadroom(io.ballast.events.Headroom.newBuilder().setMode(p.headroom().forecastOnly()
                            ? io.ballast.events.HeadroomMode.FORECAST_ONLY : io.ballast.events.HeadroomMode.ON)
                    .setUtilization(p.headroom().utilization()).setRiseWeight(p.headroom().riseWeight())
                    .setRiseHalfLifeSeconds(p.headroom().riseHalfLifeSeconds()).setDownHalfLifeSeconds(p.headroom().downHalfLifeSeconds())
                    .build());
        }
        if (p.behavior() != null) {
            event.setBehavior(io.ballast.events.ScalingBehavior.newBuilder().setScaleUp(rules(p.behavior().scaleUp()))
                    .setScaleDown(rules(p.behavior().scaleDown())).build());
        }
        return event.build();
    }

    private static ScalingRules rules(Policy.Rules r) {
        if (r == null) {
            return null;
        }
        ScalingRules.Builder rules = ScalingRules.newBuilder().setStabilizationWindowSeconds(r.stabilizationWindowSeconds())
                .setTolerance(r.tolerance()).setPolicies(r.policies().stream().map(p -> HpaScalingPolicy.newBuilder().setType(p.type())
                        .setValue(p.value()).setPeriodSeconds(p.periodSeconds()).build()).toList());
        if (r.selectPolicy() != null) {
            rules.setSelectPolicy(r.selectPolicy());
        }
        return rules.build();
    }

    public static List<String> check(ScalingPolicy policy) {
        List<String> errors = new ArrayList<>();
        if (policy.getService().isBlank()) {
            errors.add("$.service: must not be empty");
        }
        if (policy.getVersion() < 0) {
            errors.add("$.version: must be >= 0, got " + policy.getVersion());
        }
        if (policy.getMaxReplicas() < 1) {
            errors.add("$.maxReplicas: must be >= 1, got " + policy.getMaxReplicas());
        }
        if (policy.getMinReplicas() < 0) {
            errors.add("$.minReplicas: must be >= 0, got " + policy.getMinReplicas());
        }
        if (policy.getMinReplicas() > policy.getMaxReplicas()) {
            errors.add("$.minReplicas: " + policy.getMinReplicas() + " is above maxReplicas " + policy.getMaxReplicas());
        }
        if (policy.getMetrics().isEmpty()) {
            errors.add("$.metrics: at least one metric is needed");
        }
        scaleToZero(policy, errors);
        headroom(policy, errors);
        for (int i = 0; i < policy.getMetrics().size(); i++) {
            metric(policy.getMetrics().get(i), "$.metrics[" + i + "]", errors);
        }
        tolerance(policy.getTolerance(), "$.tolerance", errors);
        if (policy.getScaleUpCooldownSeconds() < 0) {
            errors.add("$.scaleUpCooldownSeconds: must be >= 0, got " + policy.getScaleUpCooldownSeconds());
        }
        if (policy.getScaleDownCooldownSeconds() < 0) {
            errors.add("$.scaleDownCooldownSeconds: must be >= 0, got " + policy.getScaleDownCooldownSeconds());
        }
        if (policy.getBehavior() != null) {
            rules(policy.getBehavior().getScaleUp(), "$.behavior.scaleUp", errors);
            rules(policy.getBehavior().getScaleDown(), "$.behavior.scaleDown", errors);
        }
        return errors;
    }

    private static void metric(MetricTarget m, String path, List<String> errors) {
        if (m.getName().isBlank()) {
            errors.add(path + ".name: must not be empty");
        }
        if (!(m.getTarget() > 0) || Double.isInfinite(m.getTarget())) {
            errors.add(path + ".target: must be > 0, got " + m.getTarget());
        }
        List<TargetType> allowed = switch (m.getSource()) {
            case RESOURCE -> List.of(TargetType.UTILIZATION, TargetType.AVERAGE_VALUE);
            case PODS, CONSUMER_LAG -> List.of(TargetType.AVERAGE_VALUE);
            case OBJECT, EXTERNAL -> List.of(TargetType.VALUE, TargetType.AVERAGE_VALUE);
        };
        if (!allowed.contains(m.getTargetType())) {
            errors.add(path + ".targetType: " + m.getTargetType() + " is not a target type of a " + m.getSource()
                    + " metric; use one of " + allowed);
        }
        if (m.getTargetType() == TargetType.UTILIZATION && m.getTarget() != Math.floor(m.getTarget())) {
            errors.add(path + ".target: a UTILIZATION target is a whole percent, got " + m.getTarget());
        }
        if (m.getSource() == MetricSourceType.CONSUMER_LAG) {
            if (m.getConsumerGroup() == null || m.getConsumerGroup().isBlank()) {
                errors.add(path + ".consumerGroup: a CONSUMER_LAG metric names the consumer group");
            }
            if (m.getTopic() == null || m.getTopic().isBlank()) {
                errors.add(path + ".topic: a CONSUMER_LAG metric names the topic");
            }
        }
        if (m.getActivationValue() != null && (!(m.getActivationValue() >= 0) || Double.isInfinite(m.getActivationValue()))) {
            errors.add(path + ".activationValue: must be >= 0, got " + m.getActivationValue());
        }
    }

    private static void rules(ScalingRules rules, String path, List<String> errors) {
        if (rules == null) {
            return;
        }
        Integer window = rules.getStabilizationWindowSeconds();
        if (window != null && (window < 0 || window > 3600)) {
            errors.add(path + ".stabilizationWindowSeconds: must be 0 to 3600, got " + window);
        }
        if (rules.getTolerance() != null) {
            tolerance(rules.getTolerance(), path + ".tolerance", errors);
        }
        for (int i = 0; i < rules.getPolicies().size(); i++) {
            HpaScalingPolicy p = rules.getPolicies().get(i);
            String at = path + ".policies[" + i + "]";
            if (p.getValue() <= 0) {
                errors.add(at + ".value: must be > 0, got " + p.getValue());
            }
            if (p.getPeriodSeconds() <= 0 || p.getPeriodSeconds() > 1800) {
                errors.add(at + ".periodSeconds: must be 1 to 1800, got " + p.getPeriodSeconds());
            }
        }
    }

    /** The headroom extension works on the CPU in use: it needs a RESOURCE UTILIZATION metric, and sane numbers. */
    private static void headroom(ScalingPolicy policy, List<String> errors) {
        io.ballast.events.Headroom h = policy.getHeadroom();
        if (h == null) {
            return;
        }
        if (policy.getMetrics().stream().noneMatch(m -> m.getSource() == MetricSourceType.RESOURCE
                && m.getTargetType() == TargetType.UTILIZATION)) {
            errors.add("$.headroom: needs a RESOURCE metric with a UTILIZATION target (the CPU in use, in units of the request)");
        }
        if (!(h.getUtilization() > 0 && h.getUtilization() <= 1)) {
            errors.add("$.headroom.utilization: must be above 0 and at most 1, got " + h.getUtilization());
        }
        if (!(h.getRiseWeight() >= 0 && Double.isFinite(h.getRiseWeight()))) {
            errors.add("$.headroom.riseWeight: must be a number of at least 0, got " + h.getRiseWeight());
        }
        if (h.getRiseHalfLifeSeconds() < 1 || h.getDownHalfLifeSeconds() < 1) {
            errors.add("$.headroom: half-lives must be at least 1 s, got " + h.getRiseHalfLifeSeconds() + " and "
                    + h.getDownHalfLifeSeconds());
        }
    }

    /** minReplicas 0 as Kubernetes allows it (an object or external metric), or as KEDA does (an activation value). */
    private static void scaleToZero(ScalingPolicy policy, List<String> errors) {
        boolean activation = policy.getScaleToZero() == ScaleToZero.ACTIVATION;
        if (policy.getMinReplicas() != 0) {
            if (activation) {
                errors.add("$.scaleToZero: ACTIVATION needs minReplicas 0, got " + policy.getMinReplicas());
            }
            return;
        }
        if (activation && policy.getMetrics().stream().noneMatch(m -> m.getActivationValue() != null)) {
            errors.add("$.minReplicas: 0 with scaleToZero ACTIVATION needs an activationValue on at least one metric");
        }
        if (!activation && policy.getMetrics().stream().noneMatch(m -> m.getSource() == MetricSourceType.OBJECT
                || m.getSource() == MetricSourceType.EXTERNAL || m.getSource() == MetricSourceType.CONSUMER_LAG)) {
            errors.add("$.minReplicas: 0 needs an OBJECT, EXTERNAL or CONSUMER_LAG metric (as Kubernetes: with no pods there is "
                    + "no pod metric to scale up by), or scaleToZero ACTIVATION with an activationValue");
        }
    }

    /** Any finite value of at least 0, as Kubernetes takes it (1 or more in the down direction: never scale down). */
    private static void tolerance(double value, String path, List<String> errors) {
        if (!(value >= 0 && Double.isFinite(value))) {
            errors.add(path + ": must be a number of at least 0, got " + value);
        }
    }
}
