package io.ballast.autoscale;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.ballast.autoscale.Decision.Step;
import io.ballast.autoscale.DecisionState.Recommendation;
import io.ballast.autoscale.DecisionState.ScaleEvent;
import io.ballast.autoscale.Policy.RatePolicy;
import io.ballast.autoscale.Policy.Rules;
import io.ballast.events.DecisionRule;
import io.ballast.events.HpaPolicyType;
import io.ballast.events.SelectPolicy;

/**
 * HPA's normalization of the metrics' recommendation: stabilization over past recommendations, then
 * the rate limits and the min/max clamp. Two paths, as in HPA: without {@code behavior} (the highest
 * recommendation of the downscale window, growth capped at max(2 x current, 4)) and with it (per
 * direction windows and Pods/Percent policies per period, selected by MAX/MIN/DISABLED).
 */
final class Normalizer {
    /** HPA's defaults for a direction a policy leaves out (SetDefaults_HorizontalPodAutoscalerBehavior). */
    static final List<RatePolicy> DEFAULT_UP = List.of(new RatePolicy(HpaPolicyType.PODS, 4, 15), new RatePolicy(HpaPolicyType.PERCENT, 100, 15));
    static final List<RatePolicy> DEFAULT_DOWN = List.of(new RatePolicy(HpaPolicyType.PERCENT, 100, 15));

    private final AutoscalerSettings settings;

    Normalizer(AutoscalerSettings settings) {
        this.settings = settings;
    }

    /** The normalized count, the steps that led to it and the recommendation history with this one recorded. */
    record Result(int replicas, List<Step> steps, List<Recommendation> recommendations) {
    }

    /** One direction's rules with HPA's defaults filled in. */
    record EffectiveRules(int stabilizationSeconds, SelectPolicy select, List<RatePolicy> policies) {
        int longestPeriod() {
            int longest = 0;
            for (RatePolicy p : policies) {
                longest = Math.max(longest, p.periodSeconds());
            }
            return longest;
        }
    }

    static EffectiveRules up(Policy policy) {
        return effective(policy.behavior() == null ? null : policy.behavior().scaleUp(), 0, DEFAULT_UP);
    }

    EffectiveRules down(Policy policy) {
        return effective(policy.behavior() == null ? null : policy.behavior().scaleDown(),
                (int) settings.downscaleStabilization().toSeconds(), DEFAULT_DOWN);
    }

    private static EffectiveRules effective(Rules rules, int defaultWindow, List<RatePolicy> defaultPolicies) {
        if (rules == null) {
            return new EffectiveRules(defaultWindow, SelectPolicy.MAX, defaultPolicies);
        }
        return new EffectiveRules(rules.stabilizationWindowSeconds() == null ? defaultWindow : rules.stabilizationWindowSeconds(),
                rules.selectPolicy() == null ? SelectPolicy.MAX : rules.selectPolicy(),
                rules.policies().isEmpty() ? defaultPolicies : rules.policies());
    }

    Result normalize(Policy policy, int current, int desired, int minReplicas, List<Recommendation> history,
                     List<ScaleEvent> events, Instant now) {
        return policy.behavior() == null
                ? withoutBehavior(policy, current, desired, minReplicas, history, now)
                : withBehavior(policy, current, desired, minReplicas, history, events, now);
    }

    /** HPA's normalizeDesiredReplicas. */
    private Result withoutBehavior(Policy policy, int current, int desired, int minReplicas, List<Recommendation> history,
                                   Instant now) {
        List<Step> steps = new ArrayList<>();
        Instant cutoff = now.minus(settings.downscaleStabilization());
        int stabilized = desired;
        for (Recommendation r : history) {
            if (!r.at().isBefore(cutoff) && r.replicas() > stabilized) {
                stabilized = r.replicas();
            }
        }
        if (stabilized != desired) {
            steps.add(new Step(DecisionRule.STABILIZATION_WINDOW, stabilized, "highest recommendation of the last "
                    + seconds(settings.downscaleStabilization()) + " s"));
        }
        int scaleUpLimit = (int) Math.max(2.0 * current, 4.0);
        int maxAllowed = Math.min(policy.maxReplicas(), scaleUpLimit);
        DecisionRule maxRule = policy.maxReplicas() > scaleUpLimit ? DecisionRule.SCALE_UP_LIMIT : DecisionRule.MAX_REPLICAS;
        if (stabilized < minReplicas) {
            steps.add(new Step(DecisionRule.MIN_REPLICAS, minReplicas, "minReplicas " + minReplicas));
            stabilized = minReplicas;
        } else if (stabilized > maxAllowed) {
            steps.add(new Step(maxRule, maxAllowed, maxRule == DecisionRule.SCALE_UP_LIMIT
                    ? "growth capped at max(2 x " + current + ", 4)" : "maxReplicas " + policy.maxReplicas()));
            stabilized = maxAllowed;
        }
        return new Result(stabilized, steps, record(history, now, desired, settings.downscaleStabilization()));
    }

    /** HPA's normalizeDesiredReplicasWithBehaviors. */
    private Result withBehavior(Policy policy, int current, int desired, int minReplicas, List<Recommendation> history,
                                List<ScaleEvent> events, Instant now) {
        EffectiveRules up = up(policy);
        EffectiveRules down = down(policy);
        List<Step> steps = new ArrayList<>();
        Instant upCutoff = now.minusSeconds(up.stabilizationSeconds());
        Instant downCutoff = now.minusSeconds(down.stabilizationSeconds());
        int upRecommendation = desired;
        int downRecommendation = desired;
        for (Recommendation r : history) {
            if (r.at().isAfter(upCutoff)) {
                upRecommendation = Math.min(r.replicas(), upRecommendation);
            }
            if (r.at().isAfter(downCutoff)) {
                downRecommendation = Math.max(r.replicas(), downRecommendation);
            }
        }
        int stabilized = Math.min(Math.max(current, upRecommendation), downRecommendation);
        if (stabilized != desired) {
            steps.add(new Step(DecisionRule.STABILIZATION_WINDOW, stabilized, desired >= current
                    ? "lowest recommendation of the last " + up.stabilizationSeconds() + " s (scaleUp window)"
                    : "highest recommendation of the last " + down.stabilizationSeconds() + " s (scaleDown window)"));
        }
        int result = rateLimited(policy, up, down, current, stabilized, minReplicas, events, now, steps);
        Duration keep = Duration.ofSeconds(Math.max(up.stabilizationSeconds(), down.stabilizationSeconds()));
        return new Result(result, steps, record(history, now, desired, keep));
    }

    /** HPA's convertDesiredReplicasWithBehaviorRate. */
    private static int rateLimited(Policy policy, EffectiveRules up, EffectiveRules down, int current, int desired,
                                   int minReplicas, List<ScaleEvent> events, Instant now, List<Step> steps) {
        if (desired > current) {
            int limit = Math.max(scaleUpLimit(current, events, up, now), current);
            DecisionRule rule = up.select() == SelectPolicy.DISABLED ? DecisionRule.DISABLED : DecisionRule.SCALE_UP_POLICY;
            if (policy.maxReplicas() <= limit) {
                rule = DecisionRule.MAX_REPLICAS;
            }
            int maxAllowed = Math.min(policy.maxReplicas(), limit);
            if (desired > maxAllowed) {
                steps.add(new Step(rule, maxAllowed, rule == DecisionRule.MAX_REPLICAS ? "maxReplicas " + policy.maxReplicas()
                        : rule == DecisionRule.DISABLED ? "scaleUp selectPolicy Disabled" : "scaleUp policies (" + describe(up) + ") allow " + limit));
                return maxAllowed;
            }
        } else if (desired < current) {
            int limit = Math.min(scaleDownLimit(current, events, down, now), current);
            DecisionRule rule = down.select() == SelectPolicy.DISABLED ? DecisionRule.DISABLED : DecisionRule.SCALE_DOWN_POLICY;
            if (minReplicas >= limit) {
                rule = DecisionRule.MIN_REPLICAS;
            }
            int minAllowed = Math.max(minReplicas, limit);
            if (desired < minAllowed) {
                steps.add(new Step(rule, minAllowed, rule == DecisionRule.MIN_REPLICAS ? "minReplicas " + minReplicas
                        : rule == DecisionRule.DISABLED ? "scaleDown selectPolicy Disabled" : "scaleDown policies (" + describe(down) + ") allow " + limit));
                return minAllowed;
            }
        }
        return desired;
    }

    /** HPA's calculateScaleUpLimitWithScalingRules. */
    static int scaleUpLimit(int current, List<ScaleEvent> events, EffectiveRules rules, Instant now) {
        if (rules.select() == SelectPolicy.DISABLED) {
            return current;
        }
        boolean min = rules.select() == SelectPolicy.MIN;
        int result = min ? Integer.MAX_VALUE : Integer.MIN_VALUE;
        for (RatePolicy p : rules.policies()) {
            int periodStart = current - changeInPeriod(events, p.periodSeconds(), true, now) + changeInPeriod(events, p.periodSeconds(), false, now);
            int proposed = p.type() == HpaPolicyType.PODS
                    ? periodStart + p.value()
                    : (int) Math.ceil(periodStart * (1 + p.value() / 100.0));
            result = min ? Math.min(result, proposed) : Math.max(result, proposed);
        }
        return result;
    }

    /** HPA's calculateScaleDownLimitWithBehaviors. */
    static int scaleDownLimit(int current, List<ScaleEvent> events, EffectiveRules rules, Instant now) {
        if (rules.select() == SelectPolicy.DISABLED) {
            return current;
        }
        boolean min = rules.select() == SelectPolicy.MIN;
        int result = min ? Integer.MIN_VALUE : Integer.MAX_VALUE;
        for (RatePolicy p : rules.policies()) {
            int periodStart = current - changeInPeriod(events, p.periodSeconds(), true, now) + changeInPeriod(events, p.periodSeconds(), false, now);
            int proposed = p.type() == HpaPolicyType.PODS
                    ? periodStart - p.value()
                    : (int) (periodStart * (1 - p.value() / 100.0));
            result = min ? Math.max(result, proposed) : Math.min(result, proposed);
        }
        return result;
    }

    /** HPA's getReplicasChangePerPeriod for one direction. */
    private static int changeInPeriod(List<ScaleEvent> events, int periodSeconds, boolean up, Instant now) {
        Instant cutoff = now.minusSeconds(periodSeconds);
        int change = 0;
        for (ScaleEvent e : events) {
            if (e.up() == up && e.at().isAfter(cutoff)) {
                change += Math.abs(e.to() - e.from());
            }
        }
        return change;
    }

    /** The history with this evaluation's unstabilized recommendation added and what can no longer count dropped. */
    private static List<Recommendation> record(List<Recommendation> history, Instant now, int desired, Duration keep) {
        Instant cutoff = now.minus(keep);
        List<Recommendation> next = new ArrayList<>();
        for (Recommendation r : history) {
            if (!r.at().isBefore(cutoff)) {
                next.add(r);
            }
        }
        next.add(new Recommendation(now, desired));
        return next;
    }

    private static String describe(EffectiveRules rules) {
        StringBuilder text = new StringBuilder(rules.select().name());
        for (RatePolicy p : rules.policies()) {
            text.append(", ").append(p.value()).append(p.type() == HpaPolicyType.PERCENT ? "%" : " pods").append(" per ")
                    .append(p.periodSeconds()).append(" s");
        }
        return text.toString();
    }

    private static long seconds(Duration d) {
        return d.toSeconds();
    }
}
