package io.ballast.bench.report;

/**
 * What a figure must reach: its ratio to the reference, or its own value (latency, bytes), at least or at most
 * {@code threshold}.
 */
public record Goal(Basis basis, Bound bound, double threshold) {
    /** What the threshold applies to. */
    public enum Basis { RATIO, VALUE }

    /** Which side of the threshold is good. */
    public enum Bound { AT_LEAST, AT_MOST }

    public static Goal ratioAtLeast(double threshold) {
        return new Goal(Basis.RATIO, Bound.AT_LEAST, threshold);
    }

    public static Goal ratioAtMost(double threshold) {
        return new Goal(Basis.RATIO, Bound.AT_MOST, threshold);
    }

    public static Goal valueAtLeast(double threshold) {
        return new Goal(Basis.VALUE, Bound.AT_LEAST, threshold);
    }

    public static Goal valueAtMost(double threshold) {
        return new Goal(Basis.VALUE, Bound.AT_MOST, threshold);
    }

    /** Whether {@code value} (or {@code ratio}, by the basis; null when there is no reference) meets it. */
    public boolean met(double value, Double ratio) {
        Double judged = basis == Basis.RATIO ? ratio : Double.valueOf(value);
        if (judged == null) {
            return false;
        }
        return bound == Bound.AT_LEAST ? judged >= threshold : judged <= threshold;
    }

    /** E.g. {@code ratio >= 0.5}, {@code value <= 1000}. */
    public String describe() {
        return (basis == Basis.RATIO ? "ratio" : "value") + (bound == Bound.AT_LEAST ? " >= " : " <= ") + Figure.format(threshold);
    }
}
