package io.ballast.signals;

/** A counter reading at an event time (epoch milliseconds). */
public record Point(long at, double value) {
}
