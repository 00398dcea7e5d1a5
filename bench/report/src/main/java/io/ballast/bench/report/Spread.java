package io.ballast.bench.report;

import java.util.ArrayList;
import java.util.List;

/** The values of one measurement over its rounds, in the order they ran, with their median, min and max. */
public record Spread(List<Double> rounds) {
    public Spread {
        if (rounds.isEmpty()) {
            throw new IllegalArgumentException("a measurement needs at least one round");
        }
        rounds = List.copyOf(rounds);
    }

    public static Spread of(double... values) {
        List<Double> list = new ArrayList<>();
        for (double v : values) {
            list.add(v);
        }
        return new Spread(list);
    }

    public double median() {
        return median(rounds);
    }

    public double min() {
        return rounds.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }

    public double max() {
        return rounds.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
