package io.ballast.rebalance;

/** Where an input was read: its topic, partition and offset (a plan records the last one it planned on, per partition). */
public record InputPosition(String topic, int partition, long offset) {
    /** The partition's name, {@code topic:partition}. */
    public String partitionKey() {
        return topic + ":" + partition;
    }
}
