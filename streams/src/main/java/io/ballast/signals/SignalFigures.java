package io.ballast.signals;

/**
 * What a closed (or early) window says about one metric of one service.
 *
 * @param rate           true when the figures are per-second rates derived from a counter
 * @param count          samples in the window, ready or not
 * @param readyInstances ready instances that contributed (for a counter: with at least two readings)
 * @param sum            over the ready instances' latest readings (or rates)
 * @param average        {@code sum / readyInstances}; 0 when no instance was ready
 * @param max            the highest reading (or rate) of a ready instance; 0 when none was ready
 * @param p50            for latency metrics, from the samples taken while ready; null otherwise
 */
public record SignalFigures(boolean rate, long count, int readyInstances, double sum, double average, double max,
                            Double p50, Double p95, Double p99) {
}
