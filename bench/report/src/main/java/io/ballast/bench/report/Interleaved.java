package io.ballast.bench.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a figure and its reference in turn (A, B, A, B, ...) so that both see the same machine: a JIT warming
 * up, a page cache filling or a neighbour stealing CPU affects them alike.
 */
public final class Interleaved {
    /** One timed run; returns its figure (e.g. records per second). */
    @FunctionalInterface
    public interface Trial {
        double run() throws Exception;
    }

    /** Both measurements, round for round. */
    public record Pair(Spread figure, Spread reference) {
    }

    private Interleaved() {
    }

    public static Pair run(int rounds, Trial figure, Trial reference) throws Exception {
        return run(0, rounds, figure, reference);
    }

    /**
     * As {@link #run(int, Trial, Trial)} after {@code warmups} unreported rounds of each: for figures short enough
     * that the first round would measure the JIT compiling the code rather than the code.
     */
    public static Pair run(int warmups, int rounds, Trial figure, Trial reference) throws Exception {
        for (int i = 0; i < warmups; i++) {
            figure.run();
            reference.run();
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be >= 1, got " + rounds);
        }
        List<Double> a = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            a.add(figure.run());
            b.add(reference.run());
        }
        return new Pair(new Spread(a), new Spread(b));
    }

    /** A figure without a reference, {@code rounds} times. */
    public static Spread repeat(int rounds, Trial trial) throws Exception {
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            values.add(trial.run());
        }
        return new Spread(values);
    }
}
