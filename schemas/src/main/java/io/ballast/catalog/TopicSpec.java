package io.ballast.catalog;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One topic of the catalog: its name, layout, key and settings.
 *
 * @param name the topic name
 * @param partitions the partition count it is created with
 * @param keyFields the payload fields whose values, joined by '/', form the record key (the envelope's subject)
 * @param cleanupPolicy delete or compact
 * @param retention how long records are kept; {@code null} keeps them forever
 * @param maxMessageBytes the largest record the topic takes ({@code max.message.bytes})
 * @param value what the values are
 * @param description what flows through the topic
 */
public record TopicSpec(
        String name,
        int partitions,
        List<String> keyFields,
        CleanupPolicy cleanupPolicy,
        Duration retention,
        int maxMessageBytes,
        ValueFormat value,
        String description) {

    /** The largest record a topic takes unless it says otherwise, the broker's own default. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + ": partitions must be >= 1, was " + partitions);
        }
        keyFields = List.copyOf(keyFields);
        Objects.requireNonNull(cleanupPolicy, "cleanupPolicy");
        Objects.requireNonNull(value, "value");
    }

    /** The same topic under another name, e.g. a test's own copy. */
    public TopicSpec withName(String newName) {
        return new TopicSpec(newName, partitions, keyFields, cleanupPolicy, retention, maxMessageBytes, value, description);
    }

    /** {@code retention.ms}: -1 for forever. */
    public long retentionMs() {
        return retention == null ? -1L : retention.toMillis();
    }

    /** The topic-level configs Ballast sets, and checks for drift. */
    public Map<String, String> configs() {
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put("cleanup.policy", cleanupPolicy.kafkaValue());
        configs.put("retention.ms", Long.toString(retentionMs()));
        configs.put("max.message.bytes", Integer.toString(maxMessageBytes));
        return configs;
    }

    /** The registry subject of the values (TopicNameStrategy). */
    public String valueSubject() {
        return name + "-value";
    }
}
