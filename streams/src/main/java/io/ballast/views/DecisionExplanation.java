package io.ballast.views;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** A scaling decision (as JSON) in one line: the change, the metrics' proposals, the rules that bounded it. */
final class DecisionExplanation {
    private DecisionExplanation() {
    }

    static String of(JsonNode decision) {
        StringBuilder line = new StringBuilder();
        line.append(decision.path("currentReplicas").asInt()).append(" -> ").append(decision.path("desiredReplicas").asInt());
        if (decision.path("recommendation").asBoolean()) {
            line.append(" (recommendation only: the policy is a dry run)");
        }
        List<String> metrics = new ArrayList<>();
        for (JsonNode m : decision.path("metrics")) {
            String value = m.path("currentValue").isNull() ? "n/a" : trim(m.path("currentValue").asDouble());
            String proposal = m.path("proposedReplicas").isNull() ? "none" : m.path("proposedReplicas").asText();
            metrics.add(m.path("metric").asText() + " " + value + " vs target " + trim(m.path("target").asDouble())
                    + " -> " + proposal + (m.path("note").asText().isEmpty() ? "" : " (" + m.path("note").asText() + ")"));
        }
        if (!metrics.isEmpty()) {
            line.append("; ").append(String.join(", ", metrics));
        }
        JsonNode limit = decision.path("limitedBy");
        if (!limit.isNull() && !limit.isMissingNode()) {
            line.append("; limited by ").append(limit.asText());
            for (JsonNode step : decision.path("steps")) {
                if (step.path("rule").asText().equals(limit.asText()) && !step.path("detail").asText().isEmpty()) {
                    line.append(": ").append(step.path("detail").asText());
                }
            }
        }
        return line.toString();
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(java.util.Locale.ROOT, "%.4g", value);
    }
}
