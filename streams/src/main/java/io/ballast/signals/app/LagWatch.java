package io.ballast.signals.app;

/** A consumer group whose lag on a topic is a signal of a service (for lag-based scaling). */
public record LagWatch(String service, String group, String topic) {
}
