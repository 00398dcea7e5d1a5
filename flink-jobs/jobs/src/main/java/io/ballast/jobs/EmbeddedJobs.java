package io.ballast.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import io.ballast.jobs.autoscale.AutoscalerJob;
import io.ballast.jobs.autoscale.AutoscalerJobConfig;
import io.ballast.jobs.invalidate.InvalidatorJob;
import io.ballast.jobs.invalidate.InvalidatorJobConfig;
import io.ballast.jobs.rebalance.RebalancerJob;
import io.ballast.jobs.rebalance.RebalancerJobConfig;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Flink side of {@code ballast up}: a local MiniCluster in its own JVM (Flink's RocksDB must not
 * share a classpath with Kafka Streams'), running the decision jobs with the RocksDB state backend,
 * incremental checkpoints under the data directory, retained on cancel; a restart resumes every job
 * from its latest checkpoint. Arguments: {@code data.dir=DIR} plus the jobs' {@code key=value} settings.
 */
public final class EmbeddedJobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedJobs.class);
    private final JobClient autoscaler;

    private EmbeddedJobs(JobClient autoscaler) {
        this.autoscaler = autoscaler;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> given = JobArguments.parse(args);
        String dataDir = given.remove("data.dir");
        if (dataDir == null) {
            throw new IllegalArgumentException("data.dir=DIR is required");
        }
        Map<String, String> rebalancer = prefixed(given, REBALANCER_PREFIX);
        Map<String, String> invalidator = prefixed(given, INVALIDATOR_PREFIX);
        AutoscalerJobConfig autoscaler = AutoscalerJobConfig.parse(given);
        EmbeddedJobs jobs = start(Path.of(dataDir), autoscaler, rebalancerConfig(autoscaler, rebalancer),
                invalidatorConfig(autoscaler, invalidator));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            jobs.close();
            stopped.countDown();
        }, "ballast-jobs-stop"));
        System.out.println("ballast jobs running: " + AutoscalerJob.NAME + ", " + RebalancerJob.NAME + ", " + InvalidatorJob.NAME);
        System.out.flush();
        stopped.await();
    }

    /** Takes the keys with {@code prefix} out of {@code given}, without the prefix. */
    private static Map<String, String> prefixed(Map<String, String> given, String prefix) {
        Map<String, String> taken = new java.util.HashMap<>();
        given.keySet().removeIf(key -> {
            if (key.startsWith(prefix)) {
                taken.put(key.substring(prefix.length()), given.get(key));
                return true;
            }
            return false;
        });
        return taken;
    }

    /** Keys given as {@code invalidator.KEY=VALUE} configure the invalidator (see {@link InvalidatorJobConfig#KEYS}). */
    public static final String INVALIDATOR_PREFIX = "invalidator.";

    /** The invalidator's configuration: the autoscaler's broker and registry, then the given keys. */
    public static InvalidatorJobConfig invalidatorConfig(AutoscalerJobConfig autoscaler, Map<String, String> given) {
        return InvalidatorJobConfig.parse(onThePlatform(autoscaler, given));
    }

    /** The autoscaler's broker and registry, overlaid with the given keys. */
    private static Map<String, String> onThePlatform(AutoscalerJobConfig autoscaler, Map<String, String> given) {
        Map<String, String> keys = new java.util.HashMap<>(Map.of("bootstrap.servers", autoscaler.bootstrapServers(),
                "registry.url", autoscaler.registryUrl()));
        keys.putAll(given);
        return keys;
    }

    /** Keys given as {@code rebalancer.KEY=VALUE} configure the rebalancer (see {@link RebalancerJobConfig#KEYS}). */
    public static final String REBALANCER_PREFIX = "rebalancer.";

    /** The rebalancer's configuration: the autoscaler's broker and registry, then the given keys. */
    public static RebalancerJobConfig rebalancerConfig(AutoscalerJobConfig autoscaler, Map<String, String> given) {
        return RebalancerJobConfig.parse(onThePlatform(autoscaler, given));
    }

    public static EmbeddedJobs start(Path dataDir, AutoscalerJobConfig autoscalerConfig) throws Exception {
        return start(dataDir, autoscalerConfig, rebalancerConfig(autoscalerConfig, Map.of()), invalidatorConfig(autoscalerConfig, Map.of()));
    }

    /**
     * Starts the decision jobs as one Flink job (each pipeline with its own sources, consumer group, state
     * and sinks), from its latest retained checkpoint under {@code dataDir} if there is one.
     */
    public static EmbeddedJobs start(Path dataDir, AutoscalerJobConfig autoscalerConfig, RebalancerJobConfig rebalancerConfig,
                                     InvalidatorJobConfig invalidatorConfig) throws Exception {
        Path checkpoints = dataDir.resolve("checkpoints").resolve(AutoscalerJob.NAME);
        Files.createDirectories(checkpoints);
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        // timers on the heap (checkpointed with the state): a RocksDB timer costs a write per registration
        conf.setString("state.backend.rocksdb.timer-service.factory", "HEAP");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        conf.set(RestOptions.BIND_PORT, "0");
        Optional<Path> latest = latestCheckpoint(checkpoints);
        latest.ifPresent(path -> conf.set(StateRecoveryOptions.SAVEPOINT_PATH, path.toString()));
        pruneRunsBefore(checkpoints, latest.map(p -> p.getParent()).orElse(null));
        LOG.info("starting {} {}", AutoscalerJob.NAME, latest.map(p -> "from checkpoint " + p).orElse("with empty state"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
        new AutoscalerJob(autoscalerConfig).build(env);
        new RebalancerJob(rebalancerConfig).build(env);
        new InvalidatorJob(invalidatorConfig).build(env);
        return new EmbeddedJobs(env.executeAsync(AutoscalerJob.NAME));
    }

    /** The job's client, for status and tests. */
    public JobClient autoscaler() {
        return autoscaler;
    }

    /** Cancels the jobs; their last checkpoints stay for the next start. */
    @Override
    public void close() {
        try {
            autoscaler.cancel().get();
        } catch (Exception e) {
            LOG.warn("could not cancel {}: {}", AutoscalerJob.NAME, e.toString());
        }
    }

    /** The most recent completed checkpoint of any earlier run. */
    static Optional<Path> latestCheckpoint(Path checkpoints) {
        try (Stream<Path> runs = Files.list(checkpoints)) {
            return runs.filter(Files::isDirectory).flatMap(EmbeddedJobs::completed)
                    .max(Comparator.comparing(EmbeddedJobs::modified));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deletes the checkpoint directories of every run but {@code keep} (the one restored from): the
     * latest checkpoint supersedes them, and the new run (restored in NO_CLAIM mode) never refers to
     * their files. So at most two runs' checkpoints exist at a time.
     */
    static void pruneRunsBefore(Path checkpoints, Path keep) {
        try (Stream<Path> runs = Files.list(checkpoints)) {
            for (Path run : runs.filter(Files::isDirectory).filter(r -> !r.equals(keep)).toList()) {
                deleteTree(run);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static Stream<Path> completed(Path run) {
        try {
            return Files.list(run).filter(p -> p.getFileName().toString().startsWith("chk-") && Files.exists(p.resolve("_metadata")))
                    .toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static java.nio.file.attribute.FileTime modified(Path checkpoint) {
        try {
            return Files.getLastModifiedTime(checkpoint.resolve("_metadata"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
