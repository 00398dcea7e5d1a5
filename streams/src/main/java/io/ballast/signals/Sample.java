package io.ballast.signals;

/**
 * One raw sample as the signals see it.
 *
 * @param at    event time, epoch milliseconds
 * @param ready whether the instance was serving: ready, running and not being deleted
 */
public record Sample(String service, String instance, String metric, boolean counter, double value, String unit,
                     boolean ready, long at) {
}
