package io.ballast.catalog;

/** A topic name that is not in the catalog. */
public final class UnknownTopicException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String topic;

    public UnknownTopicException(String topic, String knownTopics) {
        super("unknown topic '" + topic + "'; the catalog has: " + knownTopics);
        this.topic = topic;
    }

    /** The name that was asked for. */
    public String topic() {
        return topic;
    }
}
