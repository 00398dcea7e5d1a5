package io.ballast.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** The MiniCluster the job tests share per class: RocksDB state backend, incremental checkpoints, as in production. */
public final class RocksDbMiniCluster {
    private RocksDbMiniCluster() {
    }

    /** One task manager with two slots. */
    public static MiniClusterExtension extension() {
        return extension(new Configuration());
    }

    /** One task manager with two slots, {@code extra} added to its configuration (a metric reporter). */
    public static MiniClusterExtension extension(Configuration extra) {
        Configuration flink = new Configuration(extra);
        flink.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        flink.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).setConfiguration(flink).build());
    }

    /** What a test submits a job with: the jobs' own configuration ({@link JobEnvironment}), checkpoints under {@code checkpoints}. */
    public static Configuration jobConfiguration(Path checkpoints) {
        Configuration conf = JobEnvironment.configuration();
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        return conf;
    }

    /** Submits what {@code env} holds as {@code name}, restored from {@code restoreFrom} when it is not null. */
    public static JobClient submit(StreamExecutionEnvironment env, String name, Path restoreFrom) throws Exception {
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName(name);
        if (restoreFrom != null) {
            graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(restoreFrom.toString()));
        }
        return env.executeAsync(graph);
    }

    /** The job's latest completed checkpoint under {@code checkpoints} (kept after a cancel). */
    public static Path lastCheckpoint(Path checkpoints, JobClient job) throws IOException {
        Path dir = checkpoints.resolve(job.getJobID().toString());
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("chk-") && Files.exists(p.resolve("_metadata")))
                    .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().substring(4))))
                    .orElseThrow(() -> new AssertionError("no completed checkpoint in " + dir));
        }
    }
}
