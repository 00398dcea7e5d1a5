package io.ballast.bench.report;

import java.io.PrintStream;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** The report's short table: one line per figure, its reference, the ratio, the goal and whether it is met. */
final class ReportTable {
    private ReportTable() {
    }

    static void print(List<JsonNode> figures, List<JsonNode> failures, PrintStream out) {
        String row = "%-40s %14s %-12s %14s %7s %-16s %s%n";
        out.printf(row, "figure", "median", "unit", "reference", "ratio", "goal", "met");
        for (JsonNode f : figures) {
            JsonNode ref = f.get("reference");
            boolean hasRef = ref != null && !ref.isNull();
            out.printf(row, f.get("name").asText(), number(f.get("value")), f.get("unit").asText(),
                    hasRef ? number(ref.get("value")) : "-", hasRef ? String.format("%.2f", f.get("ratio").asDouble()) : "-",
                    f.get("goalIs").asText(), f.get("met").asBoolean() ? "yes" : "NO");
        }
        for (JsonNode f : failures) {
            out.println("FAILED " + f.get("bench").asText() + ": " + f.get("error").asText());
        }
    }

    private static String number(JsonNode n) {
        double v = n.asDouble();
        return Math.abs(v) >= 100 ? String.format("%,d", Math.round(v)) : String.format("%.3f", v);
    }
}
