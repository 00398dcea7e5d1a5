package io.ballast.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One figure of the report: its rounds, the reference it is judged against (null for an absolute goal),
 * its goal, and what was run. The ratio is the median of the per-round ratios when figure and reference ran
 * interleaved round for round (so a machine that slows down mid-run slows both), else the ratio of the medians.
 */
public record Figure(String name, String unit, Spread value, Reference reference, Goal goal, String workload,
                     Map<String, Object> details) {
    public Figure {
        details = details == null ? Map.of() : Map.copyOf(details);
        if (goal.basis() == Goal.Basis.RATIO && reference == null) {
            throw new IllegalArgumentException(name + ": a ratio goal needs a reference");
        }
    }

    /** The figure / reference ratio, or null without a reference. */
    public Double ratio() {
        if (reference == null) {
            return null;
        }
        List<Double> a = value.rounds();
        List<Double> b = reference.value().rounds();
        if (a.size() != b.size()) {
            return value.median() / reference.value().median();
        }
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            ratios.add(a.get(i) / b.get(i));
        }
        return Spread.median(ratios);
    }

    public boolean met() {
        return goal.met(value.median(), ratio());
    }

    /** The report's JSON shape, as a map (insertion-ordered). */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", name);
        json.put("value", round(value.median()));
        json.put("unit", unit);
        json.put("min", round(value.min()));
        json.put("max", round(value.max()));
        json.put("rounds", value.rounds().stream().map(Figure::round).toList());
        if (reference != null) {
            Map<String, Object> ref = new LinkedHashMap<>();
            ref.put("name", reference.name());
            ref.put("value", round(reference.value().median()));
            ref.put("min", round(reference.value().min()));
            ref.put("max", round(reference.value().max()));
            ref.put("rounds", reference.value().rounds().stream().map(Figure::round).toList());
            ref.put("workload", reference.workload());
            json.put("reference", ref);
            json.put("ratio", Math.round(ratio() * 1000) / 1000.0);
        } else {
            json.put("reference", null);
            json.put("referenceNote", "absolute goal: no engine reference");
        }
        json.put("goal", goal.threshold());
        json.put("goalIs", goal.describe());
        json.put("met", met());
        json.put("workload", workload);
        if (!details.isEmpty()) {
            json.put("details", details);
        }
        return json;
    }

    static double round(double v) {
        return Math.abs(v) >= 100 ? Math.round(v) : Math.round(v * 1000) / 1000.0;
    }

    static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(round(v));
    }
}
