package io.ballast.catalog;

/**
 * An existing topic whose setting differs from the catalog. Ballast reports drift and leaves the
 * topic alone: changing partitions or cleanup of a live topic is an operator's decision.
 *
 * @param topic the topic
 * @param setting {@code partitions} or a topic config key
 * @param expected the catalog's value
 * @param actual the broker's value
 */
public record TopicDrift(String topic, String setting, String expected, String actual) {
    @Override
    public String toString() {
        return topic + ": " + setting + " is " + actual + ", the catalog says " + expected;
    }
}
