package io.ballast.rederive;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.avro.specific.SpecificRecord;

/**
 * One pass over archived history for one or more decision classes: each archived event, in event-time order, goes to the
 * re-run of every class that reads its type, as an input, a record of the job's reading, or a recorded decision; each
 * class's share counts what it was handed. The CLI feeds it from the store's record stream, the audit job from a replay
 * topic: the same check either way.
 */
public final class AuditPass {
    private final List<Part> parts = new ArrayList<>();
    private final Map<String, List<Part>> readers = new HashMap<>();

    /** The inputs handed so far: how many, and the store positions they span (-1: none). */
    public record Span(long inputs, long fromPosition, long toPosition) {
    }

    /** One decision class's share of the pass: its re-run, and what it was handed. */
    public static final class Part {
        private final DecisionReplay replay;
        private final String decisionType;
        private final Set<String> readingTypes;
        private DecisionReplay.Run run;
        private long inputs;
        private long fromPosition = -1;
        private long toPosition = -1;
        private long decisions;

        private Part(DecisionReplay replay) {
            this.replay = replay;
            this.decisionType = replay.decisionType().getSimpleName();
            this.readingTypes = replay.readingTypes().stream().map(Class::getSimpleName).collect(Collectors.toSet());
        }

        private void dispatch(ArchivedEvent e) {
            String type = e.event().getSchema().getName();
            if (type.equals(decisionType)) {
                decisions++;
                run.recorded(e);
            } else if (readingTypes.contains(type)) {
                run.input(e);
            } else {
                inputs++;
                fromPosition = fromPosition < 0 ? e.position() : Math.min(fromPosition, e.position());
                toPosition = Math.max(toPosition, e.position());
                run.input(e);
            }
        }

        public DecisionReplay replay() {
            return replay;
        }

        public Span span() {
            return new Span(inputs, fromPosition, toPosition);
        }

        public long decisions() {
            return decisions;
        }

        /** Every type the class reads: inputs, records of its reading, decisions. */
        public Set<Class<? extends SpecificRecord>> types() {
            return replay.types();
        }
    }

    /** Adds a decision class to the pass; {@code start} starts its re-run, which may report the part's span as it goes. */
    public Part add(DecisionReplay replay, Function<Part, DecisionReplay.Run> start) {
        Part part = new Part(replay);
        part.run = start.apply(part);
        parts.add(part);
        for (Class<? extends SpecificRecord> type : part.types()) {
            readers.computeIfAbsent(type.getSimpleName(), n -> new ArrayList<>()).add(part);
        }
        return part;
    }

    /** Every type some class of the pass reads. */
    public Set<Class<? extends SpecificRecord>> types() {
        Set<Class<? extends SpecificRecord>> types = new LinkedHashSet<>();
        parts.forEach(p -> types.addAll(p.types()));
        return types;
    }

    /** Hands the event to every class that reads its type (an event of no class's type is ignored). */
    public void accept(ArchivedEvent e) {
        for (Part part : readers.getOrDefault(e.event().getSchema().getName(), List.of())) {
            part.dispatch(e);
        }
    }

    /** Ends every re-run: the decisions still open are checked. */
    public void finish() {
        parts.forEach(p -> p.run.finish());
    }
}
