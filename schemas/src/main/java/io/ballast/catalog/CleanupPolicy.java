package io.ballast.catalog;

/** A topic's {@code cleanup.policy}. */
public enum CleanupPolicy {
    /** Records are removed by age or size. */
    DELETE("delete"),
    /** Only the latest record per key is kept: the topic holds current state (policies, dependencies, nodes). */
    COMPACT("compact");

    private final String kafkaValue;

    CleanupPolicy(String kafkaValue) {
        this.kafkaValue = kafkaValue;
    }

    /** The value of the {@code cleanup.policy} topic config. */
    public String kafkaValue() {
        return kafkaValue;
    }
}
