package io.ballast.signals;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A mergeable quantile sketch with relative accuracy, after DDSketch: values fall into logarithmic
 * buckets {@code ceil(log_γ(v))} with {@code γ = (1 + α) / (1 - α)}, so every quantile it returns is within
 * {@value #RELATIVE_ACCURACY} (relative) of a value of that rank. Two sketches merge by adding their
 * buckets, which is what lets windows and instances combine without keeping every sample.
 * Values ≤ 0 are counted in a zero bucket.
 */
public final class QuantileSketch {
    public static final double RELATIVE_ACCURACY = 0.01;
    private static final double GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
    private static final double LOG_GAMMA = Math.log(GAMMA);

    private final TreeMap<Integer, Long> bins;
    private long zeros;
    private long count;

    public QuantileSketch() {
        this(new TreeMap<>(), 0, 0);
    }

    @JsonCreator
    QuantileSketch(@JsonProperty("bins") Map<Integer, Long> bins, @JsonProperty("zeros") long zeros,
                   @JsonProperty("count") long count) {
        this.bins = new TreeMap<>(bins == null ? Map.of() : bins);
        this.zeros = zeros;
        this.count = count;
    }

    public void add(double value) {
        if (value <= 0) {
            zeros++;
        } else {
            bins.merge((int) Math.ceil(Math.log(value) / LOG_GAMMA), 1L, Long::sum);
        }
        count++;
    }

    public void merge(QuantileSketch other) {
        other.bins.forEach((bin, n) -> bins.merge(bin, n, Long::sum));
        zeros += other.zeros;
        count += other.count;
    }

    /** The value at quantile {@code q} (0..1), empty when the sketch holds nothing. */
    public OptionalDouble quantile(double q) {
        if (q < 0 || q > 1) {
            throw new IllegalArgumentException("a quantile is between 0 and 1, not " + q);
        }
        if (count == 0) {
            return OptionalDouble.empty();
        }
        double rank = q * (count - 1);
        long seen = zeros;
        if (rank < seen) {
            return OptionalDouble.of(0);
        }
        double value = 0;
        for (Map.Entry<Integer, Long> bin : bins.entrySet()) {
            seen += bin.getValue();
            value = 2 * Math.pow(GAMMA, bin.getKey()) / (GAMMA + 1);
            if (seen > rank) {
                break;
            }
        }
        return OptionalDouble.of(value);
    }

    @JsonProperty("bins")
    Map<Integer, Long> bins() {
        return bins;
    }

    @JsonProperty("zeros")
    long zeros() {
        return zeros;
    }

    @JsonProperty("count")
    public long count() {
        return count;
    }
}
