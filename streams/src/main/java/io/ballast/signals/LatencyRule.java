package io.ballast.signals;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which gauges are latencies and get p50/p95/p99: a name matching {@code names} or a unit in {@code units}.
 */
public record LatencyRule(Pattern names, Set<String> units) {
    public static final LatencyRule DEFAULT = new LatencyRule(Pattern.compile("(?i).*(latency|duration).*"),
            Set.of("ms", "s", "us", "ns", "seconds", "milliseconds", "microseconds"));

    public LatencyRule {
        units = Set.copyOf(units);
    }

    public boolean test(Sample sample) {
        return !sample.counter() && (units.contains(sample.unit()) || names.matcher(sample.metric()).matches());
    }
}
