package io.ballast.jobs.invalidate;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.ballast.client.ClientConfig;
import io.ballast.jobs.JobArguments;
import io.ballast.jobs.autoscale.AutoscalerJobConfig;
import io.ballast.jobs.autoscale.AutoscalerJobConfig.Key;

/**
 * The cache invalidator job's configuration: every key, its default and its meaning in {@link #KEYS};
 * unknown keys and bad values are refused at start-up with the key and the value.
 */
public record InvalidatorJobConfig(ClientConfig clients, Duration coalesceWindow, Duration outOfOrderness,
                                   Duration sourceIdleness, Duration checkpointInterval, Duration visitedTtl, Duration versionTtl,
                                   Duration bufferTimeout, String closureTopic, String groupId) implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final List<Key> KEYS = List.of(
            new Key("coalesce.window", "50ms", "a change of an entity with no invalidation within this much event time before it is emitted at once; later ones within this much event time of the first held become one invalidation, which waits at most this long (wall clock) too"),
            new Key("out.of.orderness", "200ms", "bounded out-of-orderness of the change watermarks"),
            new Key("source.idleness", "10s", "a partition without records for this long stops holding back the watermark (emission never waits for it: see coalesce.window)"),
            new Key("checkpoint.interval", "2s", "checkpoint interval (graph, versions and offsets); the sink is at-least-once and does not wait for it"),
            new Key("visited.ttl", "1h", "how long a node remembers that a change's closure visited it (cycle and duplicate stop); far above any closure's duration"),
            new Key("version.ttl", "168h", "how long an entity's highest version is kept after its last change (to refuse versions going back)"),
            new Key("buffer.timeout", "5ms", "how long the job's operators wait to fill a network buffer before sending it (Flink's default is 100 ms per hop; an invalidation crosses three)"),
            new Key("closure.topic", io.ballast.catalog.Topics.INVALIDATOR_CLOSURE.name(), "the feedback topic the closure crosses parallel instances through"),
            new Key("group.id", "ballast-invalidator", "consumer group (offsets are also kept in checkpoints)"));

    public InvalidatorJobConfig {
        for (Duration d : List.of(sourceIdleness, checkpointInterval, visitedTtl, versionTtl)) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("durations must be positive: " + d);
            }
        }
        if (coalesceWindow.isNegative() || outOfOrderness.isNegative() || bufferTimeout.isNegative()) {
            throw new IllegalArgumentException("coalesce.window, out.of.orderness and buffer.timeout must not be negative");
        }
        if (closureTopic.isBlank()) {
            throw new IllegalArgumentException("closure.topic must name a topic");
        }
    }

    public static InvalidatorJobConfig parse(Map<String, String> given) {
        Map<String, String> own = new java.util.LinkedHashMap<>(given);
        ClientConfig clients = JobArguments.takeClientConfig(own);
        Map<String, String> values = AutoscalerJobConfig.values("invalidator", KEYS, own);
        Function<String, Duration> duration = key -> AutoscalerJobConfig.duration(key, values.get(key));
        return new InvalidatorJobConfig(clients, duration.apply("coalesce.window"),
                duration.apply("out.of.orderness"), duration.apply("source.idleness"), duration.apply("checkpoint.interval"),
                duration.apply("visited.ttl"), duration.apply("version.ttl"), duration.apply("buffer.timeout"), values.get("closure.topic"),
                values.get("group.id"));
    }
}
