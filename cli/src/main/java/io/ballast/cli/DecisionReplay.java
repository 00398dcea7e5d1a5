package io.ballast.cli;

import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A decision class that {@code ballast replay --verify NAME} can re-run over archived history: which event
 * types it reads, which it records, and how it compares what it re-derives with what was recorded. The
 * autoscaler and the rebalancer; the invalidator plugs in the same way.
 */
interface DecisionReplay {
    /** One recorded decision that the re-run did not give, or gave differently, with both explanations. */
    record Difference(String subject, String at, String recorded, String rederived) {
    }

    /**
     * One decision checked: the recorded one (its event id; empty when the re-run gave a decision that was never recorded)
     * and the re-derived one, each explained, and whether they match.
     */
    record Outcome(String subject, String at, String decisionId, boolean matched, String recorded, String rederived) {
        Difference difference() {
            return new Difference(subject, at, recorded, rederived);
        }
    }

    String name();

    /** The archived event types the decision class reads. */
    Set<String> inputTypes();

    /** The archived event type of its recorded decisions. */
    String decisionType();

    /** Re-runs the class over {@code inputs} (archived events as JSON, in event-time order) and checks every {@code recorded} one. */
    List<Outcome> check(List<JsonNode> inputs, List<JsonNode> recorded);

    /** The decisions of {@link #check} that differ. */
    default List<Difference> compare(List<JsonNode> inputs, List<JsonNode> recorded) {
        return check(inputs, recorded).stream().filter(o -> !o.matched()).map(Outcome::difference).toList();
    }

    /** Every decision class that can be verified, by name. */
    static Map<String, DecisionReplay> all() {
        return Map.of("autoscaler", new AutoscalerReplay(), "rebalancer", new RebalancerReplay());
    }
}
