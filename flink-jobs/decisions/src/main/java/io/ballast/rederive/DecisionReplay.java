package io.ballast.rederive;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.avro.specific.SpecificRecord;

/**
 * A decision class that {@code ballast replay --verify NAME} and {@code ballast audit decisions} can re-run over
 * archived history: which event types it reads, which it records, and a re-run that takes the archive as a stream (in
 * event-time order) and checks every recorded decision as soon as it can: the autoscaler, the rebalancer and the
 * invalidator.
 */
public interface DecisionReplay {
    /** One recorded decision that the re-run did not give, or gave differently, with both explanations. */
    record Difference(String subject, String at, String recorded, String rederived) {
    }

    /**
     * One decision checked: the recorded one (its event id; empty when the re-run gave a decision that was never recorded)
     * and the re-derived one, each explained, and whether they match.
     */
    record Outcome(String subject, String at, String decisionId, boolean matched, String recorded, String rederived) {
        public Difference difference() {
            return new Difference(subject, at, recorded, rederived);
        }
    }

    /** A re-run under way: fed the range's archived inputs and recorded decisions in event-time order. Not thread-safe. */
    interface Run {
        void input(ArchivedEvent event);

        void recorded(ArchivedEvent decision);

        /** The end of the range: checks what is left. */
        void finish();
    }

    String name();

    /** The archived event types the decision class reads. */
    Set<Class<? extends SpecificRecord>> inputTypes();

    /**
     * The job's own records of how it read its inputs (the autoscaler's late inputs): handed to the re-run with the inputs,
     * in event-time order, and not counted as inputs. None by default.
     */
    default Set<Class<? extends SpecificRecord>> readingTypes() {
        return Set.of();
    }

    /** Every type the class reads: inputs, records of the job's reading, decisions. */
    default Set<Class<? extends SpecificRecord>> types() {
        Set<Class<? extends SpecificRecord>> types = new java.util.LinkedHashSet<>(inputTypes());
        types.addAll(readingTypes());
        types.add(decisionType());
        return types;
    }

    /** The archived event type of its recorded decisions. */
    Class<? extends SpecificRecord> decisionType();

    /** A re-run that hands every checked decision to {@code outcomes}. */
    Run start(Consumer<Outcome> outcomes);

    /** Re-runs the class over {@code inputs} (in event-time order) and checks every {@code recorded} one. */
    default List<Outcome> check(List<ArchivedEvent> inputs, List<ArchivedEvent> recorded) {
        List<Outcome> outcomes = new ArrayList<>();
        Run run = start(outcomes::add);
        inputs.forEach(run::input);
        recorded.forEach(run::recorded);
        run.finish();
        return outcomes;
    }

    /** The decisions of {@link #check} that differ. */
    default List<Difference> compare(List<ArchivedEvent> inputs, List<ArchivedEvent> recorded) {
        return check(inputs, recorded).stream().filter(o -> !o.matched()).map(Outcome::difference).toList();
    }

    /** Every decision class that can be verified, by name. */
    static Map<String, DecisionReplay> all() {
        return Map.of("autoscaler", new AutoscalerReplay(), "rebalancer", new RebalancerReplay(), "invalidator", new InvalidatorReplay());
    }
}
