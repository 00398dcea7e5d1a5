package io.ballast.store;

/** Where an archived event was read from in Kafka. */
public record Origin(String topic, int partition, long offset) {
}
