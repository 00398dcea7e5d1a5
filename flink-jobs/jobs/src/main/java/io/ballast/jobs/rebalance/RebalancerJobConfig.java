package io.ballast.jobs.rebalance;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.ballast.client.ClientConfig;
import io.ballast.jobs.JobArguments;
import io.ballast.jobs.autoscale.AutoscalerJobConfig;
import io.ballast.rebalance.ClusterJson;
import io.ballast.rebalance.PlannerSettings;

/**
 * The rebalancer job's configuration: every key, its default and its meaning in {@link #KEYS}; unknown
 * keys and bad values are refused at start-up with the key and the value.
 */
public record RebalancerJobConfig(ClientConfig clients, Duration quietPeriod, Duration maxDelay,
                                  Duration outOfOrderness, Duration sourceIdleness, Duration sourceResumeGrace, Duration checkpointInterval,
                                  PlannerSettings planner, String groupId, String transactionalIdPrefix) implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final List<AutoscalerJobConfig.Key> KEYS = List.of(
            new AutoscalerJobConfig.Key("quiet.period", "30s", "a cluster is planned once its inputs have been quiet this long (event time): load samples are not planned one by one"),
            new AutoscalerJobConfig.Key("max.delay", "5m", "a cluster whose inputs never go quiet is planned at least this often (event time)"),
            new AutoscalerJobConfig.Key("out.of.orderness", "5s", "bounded out-of-orderness of the watermarks"),
            new AutoscalerJobConfig.Key("source.idleness", "10s", "a partition without records for this long stops holding back the watermark"),
            new AutoscalerJobConfig.Key("source.resume.grace", "2s", AutoscalerJobConfig.RESUME_GRACE),
            new AutoscalerJobConfig.Key("checkpoint.interval", "2s", "checkpoint interval; plans are committed to Kafka at each checkpoint"),
            new AutoscalerJobConfig.Key("goals.file", "", "a goals document (see ballast rebalance plan --goals); empty = the defaults"),
            new AutoscalerJobConfig.Key("group.id", "ballast-rebalancer", "consumer group (offsets are also kept in checkpoints)"),
            new AutoscalerJobConfig.Key("transactional.id.prefix", "ballast-rebalancer", "prefix of the exactly-once sink's transactional ids"));

    public RebalancerJobConfig {
        for (Duration d : List.of(quietPeriod, maxDelay, sourceIdleness, checkpointInterval)) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("durations must be positive: " + d);
            }
        }
        AutoscalerJobConfig.requireResumeGrace(sourceResumeGrace, sourceIdleness);
        if (maxDelay.compareTo(quietPeriod) < 0) {
            throw new IllegalArgumentException("max.delay (" + maxDelay + ") must not be shorter than quiet.period (" + quietPeriod + ")");
        }
    }

    public static RebalancerJobConfig parse(Map<String, String> given) {
        Map<String, String> own = new java.util.LinkedHashMap<>(given);
        ClientConfig clients = JobArguments.takeClientConfig(own);
        Map<String, String> values = AutoscalerJobConfig.values("rebalancer", KEYS, own);
        Function<String, Duration> duration = key -> AutoscalerJobConfig.duration(key, values.get(key));
        return new RebalancerJobConfig(clients, duration.apply("quiet.period"),
                duration.apply("max.delay"), duration.apply("out.of.orderness"), duration.apply("source.idleness"),
                duration.apply("source.resume.grace"), duration.apply("checkpoint.interval"), goals(values.get("goals.file")), values.get("group.id"),
                values.get("transactional.id.prefix"));
    }

    private static PlannerSettings goals(String file) {
        if (file.isBlank()) {
            return PlannerSettings.DEFAULTS;
        }
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            return ClusterJson.readGoals(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("goals.file: " + file + ": " + e.getMessage(), e);
        }
    }
}
