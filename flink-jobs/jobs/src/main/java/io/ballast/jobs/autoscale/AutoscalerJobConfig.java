package io.ballast.jobs.autoscale;

import java.io.Serializable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.ballast.autoscale.AutoscalerSettings;
import io.ballast.client.ClientConfig;
import io.ballast.jobs.JobArguments;

/**
 * The autoscaler job's configuration: every key, its default (runs on a laptop against {@code ballast up})
 * and its meaning are declared once in {@link #KEYS}; {@link #parse} refuses unknown keys and bad values
 * with the key and the value. Durations are ISO-8601 ({@code PT15S}) or a number with ms, s, m or h. Kafka client
 * and registry keys ({@code bootstrap.servers}, {@code registry.url}, {@code security.protocol}, {@code sasl.*},
 * {@code ssl.*}, ..., or a {@code client.config} file) make {@link #clients()}.
 */
public record AutoscalerJobConfig(ClientConfig clients, AutoscalerSettings settings, Duration outOfOrderness,
                                  Duration sourceIdleness, Duration sourceResumeGrace, Duration evaluationDeadline, Duration idleTimeout, Duration stateTtl,
                                  Duration checkpointInterval, Duration maxFuture, String groupId, String transactionalIdPrefix) implements Serializable {

    /** One configuration key. */
    public record Key(String name, String defaultValue, String description) {
    }

    /** What {@code source.resume.grace} means, in every job that has it. */
    public static final String RESUME_GRACE = "a partition that reads again after more than this without records (idle, or only "
            + "paused) keeps its watermark where it was this long more, so that the records that came with its own on the other "
            + "topics are read before the watermark passes them (a trace produced at once); its records are not delayed. "
            + "0: Flink's idleness. Less than source.idleness";

    /** The job's own keys; the controller's ({@link AutoscalerSettings#KEYS}) come first in {@link #KEYS}. */
    private static final List<Key> JOB_KEYS = List.of(
            new Key("out.of.orderness", "5s", "bounded out-of-orderness of the watermarks"),
            new Key("source.idleness", "10s", "a partition without records for this long stops holding back the watermark; too short risks late samples while catching up on a backlog"),
            new Key("source.resume.grace", "2s", RESUME_GRACE),
            new Key("evaluation.deadline", "250ms", "with live input, an evaluation runs this long after its instant on the wall clock, not waiting for the watermark's out-of-orderness; an input read later is late (a sample is dead-lettered). 0: evaluations wait for the watermark. Less than sync.period"),
            new Key("idle.timeout", "1h", "a service without input for this long (event time) is forgotten"),
            new Key("state.ttl", "168h", "processing-time TTL of a service's state, behind idle.timeout"),
            new Key("checkpoint.interval", "2s", "checkpoint interval; decisions are committed to Kafka at each checkpoint (latency against throughput)"),
            new Key("max.future", "5m", "a sample more than this ahead of the wall clock is dead-lettered"),
            new Key("group.id", "ballast-autoscaler", "consumer group (offsets are also kept in checkpoints)"),
            new Key("transactional.id.prefix", "ballast-autoscaler", "prefix of the exactly-once sink's transactional ids"));

    public static final List<Key> KEYS = java.util.stream.Stream.concat(
            AutoscalerSettings.KEYS.stream().map(k -> new Key(k.name(), k.defaultValue(), k.description())), JOB_KEYS.stream()).toList();

    public AutoscalerJobConfig {
        for (Duration d : List.of(sourceIdleness, idleTimeout, stateTtl, checkpointInterval, maxFuture)) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("durations must be positive: " + d);
            }
        }
        if (outOfOrderness.isNegative()) {
            throw new IllegalArgumentException("out.of.orderness must not be negative: " + outOfOrderness);
        }
        requireResumeGrace(sourceResumeGrace, sourceIdleness);
        if (evaluationDeadline.isNegative() || evaluationDeadline.compareTo(settings.syncPeriod()) >= 0) {
            throw new IllegalArgumentException("evaluation.deadline must be at least 0 and less than sync.period ("
                    + settings.syncPeriod() + "): " + evaluationDeadline);
        }
    }

    /** Parses {@code key=value} pairs over the defaults. */
    public static AutoscalerJobConfig parse(Map<String, String> given) {
        Map<String, String> own = new LinkedHashMap<>(given);
        ClientConfig clients = JobArguments.takeClientConfig(own);
        Map<String, String> values = values("autoscaler", KEYS, own);
        Function<String, Duration> duration = key -> duration(key, values.get(key));
        Map<String, String> controller = new LinkedHashMap<>();
        AutoscalerSettings.KEYS.forEach(k -> controller.put(k.name(), values.get(k.name())));
        return new AutoscalerJobConfig(clients, AutoscalerSettings.parse(controller),
                duration.apply("out.of.orderness"), duration.apply("source.idleness"), duration.apply("source.resume.grace"),
                duration.apply("evaluation.deadline"),
                duration.apply("idle.timeout"),
                duration.apply("state.ttl"), duration.apply("checkpoint.interval"), duration.apply("max.future"),
                values.get("group.id"), values.get("transactional.id.prefix"));
    }

    /**
     * The defaults of {@code keys} overlaid with {@code given}; a key not among them is refused, naming the
     * job and the known keys.
     */
    public static Map<String, String> values(String job, List<Key> keys, Map<String, String> given) {
        Map<String, String> values = new LinkedHashMap<>();
        keys.forEach(k -> values.put(k.name(), k.defaultValue()));
        given.forEach((k, v) -> {
            if (!values.containsKey(k)) {
                throw new IllegalArgumentException("unknown " + job + " job key '" + k + "'; known keys: "
                        + keys.stream().map(Key::name).toList() + ", client.config and every Kafka client or registry key");
            }
            values.put(k, v);
        });
        return values;
    }

    /** Refuses a {@code source.resume.grace} that is negative or not less than {@code source.idleness}. */
    public static void requireResumeGrace(Duration grace, Duration idleness) {
        if (grace.isNegative() || grace.compareTo(idleness) >= 0) {
            throw new IllegalArgumentException("source.resume.grace must be at least 0 and less than source.idleness (" + idleness
                    + "): " + grace);
        }
    }

    /** A duration as ISO-8601 or a number with a unit (ms, s, m, h). */
    public static Duration duration(String key, String value) {
        return io.ballast.config.Durations.parse(key, value);
    }

}
