package io.ballast.signals;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One instance's samples of one metric within a window: its latest reading and readiness (by event time,
 * so out-of-order samples do not overwrite newer ones), its highest reading, and, for a counter, every
 * reading in event-time order, which is what a rate across resets needs.
 */
public final class InstanceSeries {
    private long latestAt;
    private double latest;
    private boolean ready;
    private double max;
    private final List<Point> points;

    InstanceSeries() {
        this(Long.MIN_VALUE, 0, false, Double.NEGATIVE_INFINITY, new ArrayList<>());
    }

    @JsonCreator
    InstanceSeries(@JsonProperty("latestAt") long latestAt, @JsonProperty("latest") double latest,
                   @JsonProperty("ready") boolean ready, @JsonProperty("max") double max,
                   @JsonProperty("points") List<Point> points) {
        this.latestAt = latestAt;
        this.latest = latest;
        this.ready = ready;
        this.max = max;
        this.points = new ArrayList<>(points == null ? List.of() : points);
    }

    void add(Sample sample) {
        if (sample.at() >= latestAt) {
            latestAt = sample.at();
            latest = sample.value();
            ready = sample.ready();
        }
        max = Math.max(max, sample.value());
        if (sample.counter()) {
            insert(new Point(sample.at(), sample.value()));
        }
    }

    private void insert(Point point) {
        int i = points.size();
        while (i > 0 && points.get(i - 1).at() > point.at()) {
            i--;
        }
        if (i > 0 && points.get(i - 1).at() == point.at()) {
            points.set(i - 1, point); // a re-sent reading of the same instant replaces the first
        } else {
            points.add(i, point);
        }
    }

    /**
     * The counter's increase per second between its first and last reading in the window, counting a
     * drop as a reset (the counter restarted from zero, so the new reading is all increase), as
     * Prometheus' {@code rate()} does, without its extrapolation to the window's edges. Empty with fewer
     * than two readings.
     */
    java.util.OptionalDouble rate() {
        if (points.size() < 2) {
            return java.util.OptionalDouble.empty();
        }
        double increase = 0;
        for (int i = 1; i < points.size(); i++) {
            double previous = points.get(i - 1).value();
            double current = points.get(i).value();
            increase += current >= previous ? current - previous : current;
        }
        double seconds = (points.get(points.size() - 1).at() - points.get(0).at()) / 1000.0;
        return java.util.OptionalDouble.of(increase / seconds);
    }

    @JsonProperty("latestAt")
    long latestAt() {
        return latestAt;
    }

    @JsonProperty("latest")
    double latest() {
        return latest;
    }

    @JsonProperty("ready")
    boolean ready() {
        return ready;
    }

    @JsonProperty("max")
    double max() {
        return max;
    }

    @JsonProperty("points")
    List<Point> points() {
        return points;
    }
}
