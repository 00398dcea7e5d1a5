package io.ballast.rederive;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Consumer;

import io.ballast.autoscale.AutoscalerSettings;
import io.ballast.autoscale.DecisionRecords;
import io.ballast.autoscale.Input;
import io.ballast.autoscale.InputOrder;
import io.ballast.autoscale.Simulation;
import io.ballast.events.LateScalingInput;
import io.ballast.events.MetricEvaluation;
import io.ballast.events.MetricSample;
import io.ballast.events.ReplicaStatus;
import io.ballast.events.ScalingDecision;
import io.ballast.events.ScalingPolicy;
import org.apache.avro.specific.SpecificRecord;

/**
 * The autoscaler's {@link Simulation} over archived policies, replica statuses and samples, fed as they are read, against
 * the recorded decisions. Inputs are folded in event-time order, except those the job read late: each of those has a
 * {@link LateScalingInput} record (at the input's own event time, naming where it was read) that says what the job did
 * with it, and the re-run does the same: a late policy or status is folded at the evaluation that took it, a late sample
 * is left out. So the re-run folds every input where the job folded it, whatever order the job's sources read them in.
 */
public final class AutoscalerReplay implements DecisionReplay {
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
    public Set<Class<? extends SpecificRecord>> readingTypes() {
        return Set.of(LateScalingInput.class);
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
     * so only the decisions of the last sync periods wait here, however long the range. The records of one event-time
     * instant are held until the next instant comes: a late input's record sorts at the input's time, but may come before
     * or after it.
     */
    private final class Check implements Run {
        private final Consumer<Outcome> outcomes;
        private final Map<String, ScalingDecision> derived = new HashMap<>();
        private final Map<String, ScalingDecision> recorded = new HashMap<>();
        private final Simulation.Run simulation;
        private Instant latest = Instant.MIN;
        /** The event time of the records held. */
        private Instant instant;
        private final List<ArchivedEvent> held = new ArrayList<>();
        /** The late-input records of the instant held, by where their input was read. */
        private final Map<String, LateScalingInput> late = new HashMap<>();
        /** Late policies and statuses, stamped with the evaluation that took them, until the stream reaches it. */
        private final PriorityQueue<Read> deferred = new PriorityQueue<>(Read.ORDER);

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
            if (instant != null && e.occurredAt().isAfter(instant)) {
                flush();
            }
            instant = instant == null || e.occurredAt().isAfter(instant) ? e.occurredAt() : instant;
            if (e.event() instanceof LateScalingInput l) {
                late.put(l.getInputTopic() + ":" + l.getInputPartition() + ":" + l.getInputOffset(), l);
            } else {
                held.add(e);
            }
        }

        /**
         * Folds the instant's inputs as the job did: late ones where the job took them (or not at all), and inputs of one
         * evaluation that the job's order does not tell apart (two statuses taken at the same evaluation) in the order they
         * were read, as the job folds them.
         */
        private void flush() {
            List<Read> due = new ArrayList<>();
            while (!deferred.isEmpty() && !deferred.peek().input().at().isAfter(instant)) {
                due.add(deferred.poll());
            }
            for (ArchivedEvent e : held) {
                Input input = toInput(e);
                long offset = e.origin() == null ? -1 : e.origin().offset();
                LateScalingInput note = e.origin() == null ? null
                        : late.get(e.origin().topic() + ":" + e.origin().partition() + ":" + e.origin().offset());
                if (note == null) {
                    due.add(new Read(input, offset));
                } else if (note.getTakenAt() != null) {
                    Input.asCurrentAt(input, note.getTakenAt()).ifPresent(taken -> deferred.add(new Read(taken, offset)));
                }
            }
            due.sort(Read.ORDER);
            due.forEach(r -> fold(r.input()));
            held.clear();
            late.clear();
        }

        private void fold(Input input) {
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
            if (instant != null) {
                flush();
            }
            while (!deferred.isEmpty()) {
                fold(deferred.poll().input());
            }
            simulation.finish();
            Comparator<ScalingDecision> order = Comparator.comparing(ScalingDecision::getEvaluatedAt).thenComparing(ScalingDecision::getService);
            recorded.values().stream().sorted(order).forEach(rec -> outcomes.accept(outcome(rec, null)));
            // the job evaluates an instant once its watermark (latest input - out-of-orderness) passes it, or earlier at its
            // deadline: a decision the re-run makes after the watermark is not missing from the record, only maybe not due yet
            Instant due = latest.equals(Instant.MIN) ? Instant.MIN : latest.minus(outOfOrderness);
            derived.values().stream().filter(again -> !again.getEvaluatedAt().isAfter(due)).sorted(order)
                    .forEach(again -> outcomes.accept(new Outcome(again.getService(), again.getEvaluatedAt().toString(), "", false,
                            "no decision recorded at this instant", explain(again))));
            recorded.clear();
            derived.clear();
        }
    }

    /** An input and the offset it was read at (-1: not read from Kafka): the job folds ties of its order in read order. */
    private record Read(Input input, long offset) {
        static final Comparator<Read> ORDER = Comparator.comparing(Read::input, InputOrder.EVENT_TIME).thenComparingLong(Read::offset);
    }

    private static Input toInput(ArchivedEvent e) {
        if (e.event() instanceof MetricSample m) {
            return Input.of(m);
        }
        if (e.event() instanceof ReplicaStatus r) {
            return Input.of(r);
        }
        if (e.event() instanceof ScalingPolicy p) {
            return Input.of(p);
        }
        throw new IllegalArgumentException("not an autoscaler input: " + e.event().getSchema().getName());
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
