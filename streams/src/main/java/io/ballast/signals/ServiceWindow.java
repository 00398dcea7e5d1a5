package io.ballast.signals;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Every metric of one service over one window. The window is per service, not per metric, so that the
 * samples stay in the partition of their service (ballast.metrics.raw is keyed by service): no
 * repartition, and the stream time that closes windows is the one that screens late samples.
 */
public final class ServiceWindow {
    private final TreeMap<String, MetricWindow> metrics;

    public ServiceWindow() {
        this(new TreeMap<>());
    }

    @JsonCreator
    ServiceWindow(@JsonProperty("metrics") Map<String, MetricWindow> metrics) {
        this.metrics = new TreeMap<>(metrics == null ? Map.of() : metrics);
    }

    public ServiceWindow add(Sample sample, LatencyRule latency) {
        metrics.computeIfAbsent(sample.metric(), m -> new MetricWindow()).add(sample, latency.test(sample));
        return this;
    }

    /** The metrics of the window, by name. */
    @JsonProperty("metrics")
    public Map<String, MetricWindow> metrics() {
        return metrics;
    }
}
