package io.ballast.signals;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The running aggregate of one metric of one service over one window: per instance its latest reading,
 * readiness and highest reading (and a counter's readings), plus a quantile sketch for latency metrics.
 * Instances that are not ready are counted but do not make the figures, as the Kubernetes HPA ignores
 * pods that are not ready.
 */
public final class MetricWindow {
    private String service;
    private String metric;
    private String unit;
    private boolean counter;
    private long count;
    private final TreeMap<String, InstanceSeries> instances;
    private QuantileSketch sketch;

    public MetricWindow() {
        this(null, null, null, false, 0, new TreeMap<>(), null);
    }

    @JsonCreator
    MetricWindow(@JsonProperty("service") String service, @JsonProperty("metric") String metric,
                 @JsonProperty("unit") String unit, @JsonProperty("counter") boolean counter,
                 @JsonProperty("count") long count, @JsonProperty("instances") Map<String, InstanceSeries> instances,
                 @JsonProperty("sketch") QuantileSketch sketch) {
        this.service = service;
        this.metric = metric;
        this.unit = unit;
        this.counter = counter;
        this.count = count;
        this.instances = new TreeMap<>(instances == null ? Map.of() : instances);
        this.sketch = sketch;
    }

    /** Adds a sample; {@code latency} says whether the metric gets quantiles. Returns this window. */
    public MetricWindow add(Sample sample, boolean latency) {
        if (service == null) {
            service = sample.service();
            metric = sample.metric();
            unit = sample.unit();
            counter = sample.counter();
        }
        count++;
        instances.computeIfAbsent(sample.instance(), i -> new InstanceSeries()).add(sample);
        if (latency && !sample.counter() && sample.ready()) {
            if (sketch == null) {
                sketch = new QuantileSketch();
            }
            sketch.add(sample.value());
        }
        return this;
    }

    public SignalFigures figures() {
        int ready = 0;
        double sum = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (InstanceSeries series : instances.values()) {
            if (!series.ready()) {
                continue;
            }
            OptionalDouble value = counter ? series.rate() : OptionalDouble.of(series.latest());
            if (value.isEmpty()) {
                continue;
            }
            ready++;
            sum += value.getAsDouble();
            max = Math.max(max, counter ? value.getAsDouble() : series.max());
        }
        return new SignalFigures(counter, count, ready, sum, ready == 0 ? 0 : sum / ready, ready == 0 ? 0 : max,
                quantile(0.50), quantile(0.95), quantile(0.99));
    }

    private Double quantile(double q) {
        if (sketch == null) {
            return null;
        }
        OptionalDouble value = sketch.quantile(q);
        return value.isPresent() ? value.getAsDouble() : null;
    }

    @JsonProperty("service")
    public String service() {
        return service;
    }

    @JsonProperty("metric")
    public String metric() {
        return metric;
    }

    @JsonProperty("unit")
    public String unit() {
        return unit;
    }

    @JsonProperty("counter")
    boolean counter() {
        return counter;
    }

    @JsonProperty("count")
    long count() {
        return count;
    }

    @JsonProperty("instances")
    Map<String, InstanceSeries> instances() {
        return instances;
    }

    @JsonProperty("sketch")
    QuantileSketch sketch() {
        return sketch;
    }
}
