package io.ballast.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import io.ballast.autoscale.AutoscalerSettings;
import io.ballast.autoscale.DecisionRecords;
import io.ballast.autoscale.Input;
import io.ballast.autoscale.Simulation;
import io.ballast.events.MetricEvaluation;
import io.ballast.events.MetricSample;
import io.ballast.events.ReplicaStatus;
import io.ballast.events.ScalingDecision;
import io.ballast.events.ScalingPolicy;
import org.apache.avro.specific.SpecificRecord;

/**
 * The autoscaler's {@link Simulation} over archived policies, replica statuses and samples, fed as they are read, against
 * the recorded decisions.
 */
final class AutoscalerReplay implements DecisionReplay {
    private final AutoscalerSettings settings;
    private final Duration idleTimeout;
    private final Duration outOfOrderness;

    /** With the job's defaults: its settings, an idle timeout of 1 h and 5 s of out-of-orderness. */
    AutoscalerReplay() {
        this(AutoscalerSettings.DEFAULTS, Duration.ofHours(1), Duration.ofSeconds(5));
    }

    AutoscalerReplay(AutoscalerSettings settings, Duration idleTimeout, Duration outOfOrderness) {
        this.settings = settings;
        this.idleTimeout = idleTimeout;
        this.outOfOrderness = outOfOrderness;
    }

    @Override
    public String name() {
        return "autoscaler";
    }

    @Override
    public Set<Class<? extends SpecificRecord>> inputTypes() {
        return Set.of(ScalingPolicy.class, ReplicaStatus.class, MetricSample.class);
    }

    @Override
    public Class<? extends SpecificRecord> decisionType() {
        return ScalingDecision.class;
    }

    @Override
    public Run start(Consumer<Outcome> outcomes) {
        return new Check(outcomes);
    }

    /**
     * The simulation fed input by input; a decision is checked once both the recorded and the re-derived one are in,
     * so only the decisions of the last sync periods wait here, however long the range.
     */
    private final class Check implements Run {
        private final Consumer<Outcome> outcomes;
        private final Map<String, ScalingDecision> derived = new HashMap<>();
        private final Map<String, ScalingDecision> recorded = new HashMap<>();
        private final Simulation.Run simulation;
        private Instant latest = Instant.MIN;

        Check(Consumer<Outcome> outcomes) {
            this.outcomes = outcomes;
            this.simulation = new Simulation(settings, idleTimeout).start(d -> {
                if (d.changesReplicas()) {
                    rederived(DecisionRecords.toEvent(d));
                }
            }, refused -> { }, outOfOrderness);
        }

        @Override
        public void input(ArchivedEvent e) {
            Input input;
            if (e.event() instanceof MetricSample m) {
                input = Input.of(m);
            } else if (e.event() instanceof ReplicaStatus r) {
                input = Input.of(r);
            } else if (e.event() instanceof ScalingPolicy p) {
                input = Input.of(p);
            } else {
                throw new IllegalArgumentException("not an autoscaler input: " + e.event().getSchema().getName());
            }
            if (input.at().isAfter(latest)) {
                latest = input.at();
            }
            simulation.accept(input);
        }

        @Override
        public void recorded(ArchivedEvent e) {
            ScalingDecision rec = (ScalingDecision) e.event();
            String key = key(rec.getService(), rec.getEvaluatedAt());
            ScalingDecision again = derived.remove(key);
            if (again == null) {
                recorded.put(key, rec);
            } else {
                outcomes.accept(outcome(rec, again));
            }
        }

        private void rederived(ScalingDecision again) {
            String key = key(again.getService(), again.getEvaluatedAt());
            ScalingDecision rec = recorded.remove(key);
            if (rec == null) {
                derived.put(key, again);
            } else {
                outcomes.accept(outcome(rec, again));
            }
        }

        @Override
        public void finish() {
            simulation.finish();
            Comparator<ScalingDecision> order = Comparator.comparing(ScalingDecision::getEvaluatedAt).thenComparing(ScalingDecision::getService);
            recorded.values().stream().sorted(order).forEach(rec -> outcomes.accept(outcome(rec, null)));
            // the job evaluates an instant once its watermark (latest input - out-of-orderness) passes it: a decision the re-run
            // makes after that is not missing from the record, only not due yet
            Instant due = latest.equals(Instant.MIN) ? Instant.MIN : latest.minus(outOfOrderness);
            derived.values().stream().filter(again -> !again.getEvaluatedAt().isAfter(due)).sorted(order)
                    .forEach(again -> outcomes.accept(new Outcome(again.getService(), again.getEvaluatedAt().toString(), "", false,
                            "no decision recorded at this instant", explain(again))));
            recorded.clear();
            derived.clear();
        }
    }

    private static Outcome outcome(ScalingDecision rec, ScalingDecision again) {
        return new Outcome(rec.getService(), rec.getEvaluatedAt().toString(), rec.getEnvelope().getEventId().toString(),
                again != null && again.getDesiredReplicas() == rec.getDesiredReplicas(), explain(rec),
                again == null ? "no decision at this instant" : explain(again));
    }

    private static String key(String service, Instant at) {
        return service + "@" + at.toEpochMilli();
    }

    static String explain(ScalingDecision d) {
        StringBuilder s = new StringBuilder(d.getCurrentReplicas() + " -> " + d.getDesiredReplicas());
        for (MetricEvaluation m : d.getMetrics()) {
            s.append("; ").append(m.getMetric()).append(' ').append(m.getCurrentValue()).append(" vs target ").append(m.getTarget())
                    .append(" -> ").append(m.getProposedReplicas());
            if (!m.getNote().isEmpty()) {
                s.append(" (").append(m.getNote()).append(')');
            }
        }
        if (d.getLimitedBy() != null) {
            s.append("; limited by ").append(d.getLimitedBy());
        }
        return s.toString();
    }
}
