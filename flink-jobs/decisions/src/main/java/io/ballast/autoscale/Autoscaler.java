package io.ballast.autoscale;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.ballast.autoscale.Decision.MetricEvaluation;
import io.ballast.autoscale.Decision.Step;
import io.ballast.autoscale.DecisionState.Instance;
import io.ballast.autoscale.DecisionState.Replicas;
import io.ballast.autoscale.DecisionState.ScaleEvent;
import io.ballast.autoscale.DecisionState.Series;
import io.ballast.autoscale.MetricOutcome.Proposal;
import io.ballast.autoscale.MetricOutcome.Unavailable;
import io.ballast.autoscale.Policy.MetricTarget;
import io.ballast.events.DecisionRule;
import io.ballast.events.MetricKind;
import io.ballast.events.MetricSourceType;
import io.ballast.events.MetricStatus;

/**
 * The autoscaler's decide/evolve functions. {@link #apply} folds an input into a service's state, in
 * event-time order; {@link #decide} evaluates the state at a point of event time as the Kubernetes HPA
 * controller evaluates an HPA at a sync: metrics, HPA's error rules, stabilization, rate limits and
 * clamps, with KEDA's activation for {@code minReplicas} 0 when the policy asks for it, and Ballast's
 * cooldowns. The same state and
 * time always give the same decision.
 */
public final class Autoscaler {
    private final AutoscalerSettings settings;
    private final ReplicaCalculator calculator;
    private final Normalizer normalizer;

    public Autoscaler(AutoscalerSettings settings) {
        this.settings = settings;
        this.calculator = new ReplicaCalculator(settings);
        this.normalizer = new Normalizer(settings);
    }

    public AutoscalerSettings settings() {
        return settings;
    }

    /** What folding an input gave. */
    public sealed interface Applied {
        DecisionState state();

        /** The input changed the state. */
        record Accepted(DecisionState state) implements Applied {
        }

        /** The input is valid but older than what the state holds for it; the state is unchanged. */
        record Superseded(DecisionState state, String reason) implements Applied {
        }

        /** The input contradicts the state (a unit change, a policy version going back); the state is unchanged. */
        record Rejected(DecisionState state, String reason) implements Applied {
        }
    }

    /** What an evaluation gave. */
    public sealed interface Evaluation {
        DecisionState state();

        /** A decision, whether it changes the count or not; the state records it. */
        record Decided(DecisionState state, Decision decision) implements Evaluation {
        }

        /** Nothing to decide on yet (no policy or no replica status). */
        record Undecidable(DecisionState state, String reason) implements Evaluation {
        }
    }

    /** Folds one input into the state. Inputs must come in event-time order. */
    public Applied apply(DecisionState state, Input input) {
        if (input instanceof Input.PolicyChange change) {
            return applyPolicy(state, change);
        }
        if (input instanceof Input.ReplicaChange change) {
            return applyReplicas(state, change);
        }
        return applySample(state, (Input.Sample) input);
    }

    private static Applied applyPolicy(DecisionState state, Input.PolicyChange change) {
        Policy current = state.policy();
        if (current != null && change.policy().version() < current.version()) {
            return new Applied.Rejected(state, "policy version " + change.policy().version() + " of " + state.service()
                    + " goes backwards: version " + current.version() + " is in force");
        }
        if (current != null && change.policy().version() == current.version() && change.policy().equals(current)) {
            return new Applied.Superseded(state, "policy version " + current.version() + " is already in force");
        }
        return new Applied.Accepted(state.withPolicy(change.policy()));
    }

    private static Applied applyReplicas(DecisionState state, Input.ReplicaChange change) {
        if (state.replicas() != null && change.at().isBefore(state.replicas().at())) {
            return new Applied.Superseded(state, "a newer replica status is in force");
        }
        Replicas replicas = new Replicas(change.spec(), change.status(), change.ready(), change.lastScaleTime(), change.at(),
                change.instances());
        return new Applied.Accepted(state.withReplicas(replicas));
    }

    /** What folding several inputs gave: the state after all of them, and each refused one with its reason. */
    public record Batch(DecisionState state, List<Refusal> refused) {
    }

    /** An input the state refused. */
    public record Refusal(Input input, String reason) {
    }

    /**
     * Folds {@code inputs} in their order, as {@link #apply} one by one would, but with one copy of the instance map for
     * all of them: a sync period's samples cost time linear in their number, not in their number times the instances.
     */
    public Batch applyAll(DecisionState state, List<Input> inputs) {
        Map<String, Instance> instances = new HashMap<>(state.instances());
        DecisionState rest = state;
        List<Refusal> refused = new ArrayList<>();
        for (Input input : inputs) {
            String refusal;
            if (input instanceof Input.Sample sample) {
                refusal = fold(instances, sample) instanceof Folded.Refused r ? r.reason() : null;
            } else {
                Applied applied = apply(rest, input);
                rest = applied.state();
                refusal = applied instanceof Applied.Rejected r ? r.reason() : null;
            }
            if (refusal != null) {
                refused.add(new Refusal(input, refusal));
            }
        }
        return new Batch(rest.withInstances(instances), refused);
    }

    private static Applied applySample(DecisionState state, Input.Sample sample) {
        Map<String, Instance> instances = new HashMap<>(state.instances());
        Folded folded = fold(instances, sample);
        if (folded instanceof Folded.Superseded s) {
            return new Applied.Superseded(state, s.reason());
        }
        if (folded instanceof Folded.Refused r) {
            return new Applied.Rejected(state, r.reason());
        }
        return new Applied.Accepted(state.withInstances(instances));
    }

    /** What folding one sample into a map of instances did. */
    private sealed interface Folded {
        record Taken() implements Folded {
        }

        record Superseded(String reason) implements Folded {
        }

        record Refused(String reason) implements Folded {
        }
    }

    /** Folds a sample into {@code instances} (changed in place when it is taken). */
    private static Folded fold(Map<String, Instance> instances, Input.Sample sample) {
        Instance known = instances.get(sample.instance());
        Series last = known == null ? null : known.series().get(sample.metric());
        if (last != null && sample.at().isBefore(last.at())) {
            return new Folded.Superseded("a newer sample of " + sample.instance() + "/" + sample.metric() + " is in force");
        }
        if (last != null && !last.unit().isEmpty() && !sample.unit().isEmpty() && !last.unit().equals(sample.unit())) {
            return new Folded.Refused("unit of series " + sample.instance() + "/" + sample.metric() + " changed from '"
                    + last.unit() + "' to '" + sample.unit() + "'");
        }
        if (last != null && last.kind() != sample.kind()) {
            return new Folded.Refused("series " + sample.instance() + "/" + sample.metric() + " changed kind from "
                    + last.kind() + " to " + sample.kind());
        }
        Series series = series(last, sample);
        boolean newer = known == null || !sample.at().isBefore(known.lastSeen());
        Instance instance = newer
                ? new Instance(sample.instance(), sample.phase(), sample.ready(), sample.deleted(), sample.startedAt(),
                        sample.readinessChangedAt(), sample.at(), known == null ? Map.of() : known.series())
                : known;
        instances.put(sample.instance(), instance.withSeries(sample.metric(), series));
        return new Folded.Taken();
    }

    private static Series series(Series last, Input.Sample sample) {
        String unit = sample.unit().isEmpty() && last != null ? last.unit() : sample.unit();
        Double request = sample.request() != null ? sample.request() : last == null ? null : last.request();
        if (sample.kind() != MetricKind.COUNTER || last == null) {
            return new Series(sample.kind(), unit, sample.at(), sample.value(), null, null, request);
        }
        if (sample.at().equals(last.at())) {
            return new Series(sample.kind(), unit, sample.at(), sample.value(), last.previousAt(), last.previousValue(), request);
        }
        return new Series(sample.kind(), unit, sample.at(), sample.value(), last.at(), last.value(), request);
    }

    /** Evaluates the state at {@code now} (event time). */
    public Evaluation decide(DecisionState input, Instant now) {
        DecisionState state = expireInstances(input, now);
        Policy policy = state.policy();
        if (policy == null) {
            return new Evaluation.Undecidable(state, "no policy for service " + state.service() + " yet");
        }
        if (state.replicas() == null) {
            return new Evaluation.Undecidable(state, "no replica status for service " + state.service() + " yet");
        }
        int spec = state.replicas().spec();
        // loops, not streams, on this path: it runs once per service per sync period, and an audit re-runs months of it
        Set<String> seriesMetrics = new HashSet<>();
        for (MetricTarget m : policy.metrics()) {
            if (m.source() != MetricSourceType.RESOURCE && m.source() != MetricSourceType.PODS) {
                seriesMetrics.add(m.name());
            }
        }
        List<String> listed = state.replicas().instances();
        if (listed != null) {
            state = Pods.withoutUnlisted(state, listed, seriesMetrics);
        }
        List<Instance> pods = listed == null ? Pods.sampled(state, seriesMetrics) : Pods.listed(state, listed, seriesMetrics);
        Collection<Instance> series = state.instances().values();
        Tolerances tolerances = Tolerances.of(policy);
        Map<MetricTarget, MetricOutcome> outcomes = new LinkedHashMap<>();
        for (MetricTarget target : policy.metrics()) {
            outcomes.put(target, calculator.propose(target, pods, series, spec, state.replicas().status(), tolerances, now));
        }
        return new Round(policy, state, spec, outcomes, pods, now).decide();
    }

    private DecisionState expireInstances(DecisionState state, Instant now) {
        Instant horizon = now.minus(settings.instanceExpiry());
        boolean anyExpired = false;
        for (Instance i : state.instances().values()) {
            anyExpired |= i.lastSeen().isBefore(horizon);
        }
        if (!anyExpired) {
            return state;
        }
        Map<String, Instance> alive = new TreeMap<>();
        state.instances().forEach((name, i) -> {
            if (!i.lastSeen().isBefore(horizon)) {
                alive.put(name, i);
            }
        });
        return state.withInstances(alive);
    }

    /** One evaluation: the steps after the metrics' proposals, in HPA's order. */
    private final class Round {
        private final Policy policy;
        private final DecisionState state;
        private final int spec;
        private final Map<MetricTarget, MetricOutcome> outcomes;
        private final Instant now;
        private final List<Step> steps = new ArrayList<>();
        private List<DecisionState.Recommendation> recommendations;
        private Instant lastActiveAt;
        private DecisionRule limitedBy;
        private final List<Instance> pods;
        private DecisionState.Headroom headroom;

        Round(Policy policy, DecisionState state, int spec, Map<MetricTarget, MetricOutcome> outcomes, List<Instance> pods, Instant now) {
            this.policy = policy;
            this.state = state;
            this.spec = spec;
            this.outcomes = outcomes;
            this.pods = pods;
            this.now = now;
            this.headroom = state.headroom();
            // HPA records the current count as its first recommendation when it first sees an autoscaler, so a new
            // one does not scale down before its downscale stabilization window has passed
            this.recommendations = state.recommendations().isEmpty()
                    ? List.of(new DecisionState.Recommendation(now, spec)) : state.recommendations();
            this.lastActiveAt = state.lastActiveAt();
        }

        Evaluation decide() {
            int desired = desired();
            boolean rescale = desired != spec && !policy.dryRun();
            ScaleEvent event = new ScaleEvent(now, spec, desired);
            List<ScaleEvent> events = pruneEvents(rescale && policy.behavior() != null ? append(state.scaleEvents(), event) : state.scaleEvents());
            Replicas replicas = rescale ? state.replicas().withSpec(desired) : state.replicas();
            DecisionState next = new DecisionState(state.service(), policy, replicas, state.instances(), recommendations, events,
                    lastActiveAt, rescale ? event : state.lastScale(), headroom);
            return new Evaluation.Decided(next, new Decision(state.service(), policy.version(), spec, desired, policy.dryRun(), now,
                    windowStart(), windowEnd(), evaluations(), steps, limitedBy));
        }

        private int desired() {
            boolean toZero = policy.activatesFromZero();
            if (spec == 0 && policy.minReplicas() != 0) {
                return step(DecisionRule.DISABLED, 0, "the target runs 0 replicas and minReplicas is " + policy.minReplicas()
                        + ": autoscaling is off until it is scaled up (HPA)");
            }
            if (toZero) {
                Activity activity = activity();
                if (activity.active()) {
                    lastActiveAt = now;
                } else if (lastActiveAt == null) {
                    lastActiveAt = now;
                }
                if (spec == 0) {
                    return step(DecisionRule.ACTIVATION, activity.active() ? 1 : 0, activity.detail());
                }
                Duration cooldown = policy.scaleDownCooldownSeconds() > 0
                        ? Duration.ofSeconds(policy.scaleDownCooldownSeconds()) : settings.scaleToZeroCooldown();
                if (!activity.active() && !lastActiveAt.plus(cooldown).isAfter(now)) {
                    return step(DecisionRule.ACTIVATION, 0, activity.detail() + " for " + cooldown.toSeconds() + " s: scale to zero");
                }
            }
            // KEDA's activation owns 0 <-> 1; without it minReplicas 0 is HPA's own: the metrics take the count to 0 and back
            int minReplicas = toZero ? 1 : policy.minReplicas();
            if (spec > policy.maxReplicas()) {
                return step(DecisionRule.MAX_REPLICAS, policy.maxReplicas(), "current count is above maxReplicas " + policy.maxReplicas());
            }
            if (spec < minReplicas) {
                return step(DecisionRule.MIN_REPLICAS, minReplicas, "current count is below minReplicas " + minReplicas);
            }
            return fromMetrics(minReplicas);
        }

        private int fromMetrics(int minReplicas) {
            int proposed = 0;
            String winner = null;
            List<String> unavailable = new ArrayList<>();
            for (Map.Entry<MetricTarget, MetricOutcome> e : outcomes.entrySet()) {
                if (e.getValue() instanceof Proposal p) {
                    if (proposed == 0 || p.replicas() > proposed) {
                        proposed = p.replicas();
                        winner = e.getKey().name();
                    }
                } else {
                    unavailable.add(e.getKey().name());
                }
            }
            if (unavailable.size() == outcomes.size() || (!unavailable.isEmpty() && proposed < spec)) {
                steps.add(new Step(DecisionRule.METRICS, spec, "metric(s) " + String.join(", ", unavailable)
                        + " unavailable" + (unavailable.size() == outcomes.size() ? "" : " and the others propose a scale-down")
                        + ": no change (HPA never scales down on partial metrics)"));
                limitedBy = DecisionRule.METRICS;
                return spec;
            }
            steps.add(new Step(DecisionRule.METRICS, proposed, "largest proposal: " + winner
                    + (unavailable.isEmpty() ? "" : " (unavailable: " + String.join(", ", unavailable) + ")")));
            Normalizer.Result normalized = normalizer.normalize(policy, spec, proposed, minReplicas, recommendations,
                    state.scaleEvents(), now);
            recommendations = normalized.recommendations();
            int desired = proposed;
            for (Step s : normalized.steps()) {
                desired = step(s.rule(), s.replicas(), s.detail());
            }
            return cooldown(headroom(desired));
        }

        /** Ballast's headroom extension, when the policy has it: decides in place of HPA's CPU, or records what it would. */
        private int headroom(int hpa) {
            Policy.HeadroomRule rule = policy.headroom();
            MetricTarget cpu = rule == null ? null : policy.metrics().stream()
                    .filter(m -> m.source() == MetricSourceType.RESOURCE && m.targetType() == io.ballast.events.TargetType.UTILIZATION)
                    .findFirst().orElse(null);
            if (cpu == null) {
                return hpa;
            }
            HeadroomModel.Outcome outcome = HeadroomModel.evaluate(rule, state.headroom(), cpu, pods, calculator, settings.syncPeriod(),
                    new HeadroomModel.Scale(spec, policy.minReplicas(), policy.maxReplicas(), Tolerances.of(policy).up()), now);
            if (outcome == null) {
                return hpa;
            }
            headroom = outcome.state();
            if (rule.forecastOnly()) {
                steps.add(new Step(DecisionRule.HEADROOM, hpa, "forecast only: would decide " + outcome.replicas() + "; "
                        + outcome.detail()));
                return hpa;
            }
            int others = 0;
            for (Map.Entry<MetricTarget, MetricOutcome> e : outcomes.entrySet()) {
                if (e.getKey() != cpu && e.getValue() instanceof Proposal p) {
                    others = Math.max(others, Math.min(p.replicas(), policy.maxReplicas()));
                }
            }
            int replicas = Math.max(outcome.replicas(), others);
            return step(DecisionRule.HEADROOM, replicas, outcome.detail() + "; HPA alone: " + hpa
                    + (others > outcome.replicas() ? "; the other metrics: " + others : ""));
        }

        /** Ballast's cooldowns: after a scale-up no change for scaleUpCooldownSeconds, after a scale-down for scaleDownCooldownSeconds. */
        private int cooldown(int desired) {
            ScaleEvent last = state.lastScale();
            if (desired == spec || last == null) {
                return desired;
            }
            int seconds = last.up() ? policy.scaleUpCooldownSeconds() : policy.scaleDownCooldownSeconds();
            Instant until = last.at().plusSeconds(seconds);
            if (until.isAfter(now)) {
                return step(DecisionRule.COOLDOWN, spec, "scaled " + (last.up() ? "up" : "down") + " " + last.from() + " -> "
                        + last.to() + " at " + last.at() + ": no change until " + until);
            }
            return desired;
        }

        private int step(DecisionRule rule, int replicas, String detail) {
            steps.add(new Step(rule, replicas, detail));
            limitedBy = rule;
            return replicas;
        }

        private Activity activity() {
            List<String> above = new ArrayList<>();
            for (Map.Entry<MetricTarget, MetricOutcome> e : outcomes.entrySet()) {
                double activation = e.getKey().activationValue() == null ? 0 : e.getKey().activationValue();
                if (e.getValue() instanceof Proposal p && p.metricValue() > activation) {
                    above.add(e.getKey().name() + " " + p.metricValue() + " > activation " + activation);
                }
            }
            return above.isEmpty()
                    ? new Activity(false, "no metric above its activation")
                    : new Activity(true, String.join(", ", above));
        }

        private List<MetricEvaluation> evaluations() {
            List<MetricEvaluation> list = new ArrayList<>();
            outcomes.forEach((target, outcome) -> list.add(outcome instanceof Proposal p
                    ? new MetricEvaluation(target.name(), target.targetType(), target.target(), p.currentValue(),
                            p.replicas(), MetricStatus.OK, p.note())
                    : new MetricEvaluation(target.name(), target.targetType(), target.target(), null, null,
                            ((Unavailable) outcome).status(), ((Unavailable) outcome).reason())));
            return list;
        }

        private Instant windowStart() {
            Instant start = null;
            for (MetricOutcome o : outcomes.values()) {
                if (o instanceof Proposal p && p.oldest() != null && (start == null || p.oldest().isBefore(start))) {
                    start = p.oldest();
                }
            }
            return start;
        }

        private Instant windowEnd() {
            Instant end = null;
            for (MetricOutcome o : outcomes.values()) {
                if (o instanceof Proposal p && p.newest() != null && (end == null || p.newest().isAfter(end))) {
                    end = p.newest();
                }
            }
            return end;
        }

        private List<ScaleEvent> pruneEvents(List<ScaleEvent> events) {
            int longest = Math.max(Normalizer.up(policy).longestPeriod(), normalizer.down(policy).longestPeriod());
            Instant horizon = now.minusSeconds(longest);
            return events.stream().filter(e -> e.at().isAfter(horizon)).toList();
        }
    }

    private record Activity(boolean active, String detail) {
    }

    private static <T> List<T> append(List<T> list, T item) {
        List<T> next = new ArrayList<>(list);
        next.add(item);
        return next;
    }
}
