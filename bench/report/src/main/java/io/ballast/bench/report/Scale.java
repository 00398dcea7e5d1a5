package io.ballast.bench.report;

/**
 * How big a run is: {@code quick} (the whole bench under 3 minutes) or full, and how many interleaved rounds
 * each figure and its reference get.
 */
public record Scale(boolean quick, int rounds) {
    public Scale {
        if (rounds < 3) {
            throw new IllegalArgumentException("rounds must be >= 3 (a median of fewer says little), got " + rounds);
        }
    }

    /** {@code quick} when quick, else {@code full}. */
    public <T> T pick(T quick, T full) {
        return this.quick ? quick : full;
    }

    public int pick(int quick, int full) {
        return this.quick ? quick : full;
    }
}
