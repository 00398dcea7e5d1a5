/**
 * Windowed scaling signals from raw metric samples: the aggregate of one metric of one service over one
 * event-time window (ready-instance sum and average, max, quantiles of latency metrics, rates of counters),
 * and the checks that keep bad samples out. Plain classes; {@code io.ballast.signals.app} wires them to
 * Kafka Streams.
 */
package io.ballast.signals;
