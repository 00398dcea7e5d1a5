package io.ballast.bench.autoscale;

import java.nio.file.Path;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The MiniCluster every Flink benchmark runs on, job and reference alike: parallelism 2, RocksDB with
 * incremental checkpoints to {@code checkpoints}, timers on the heap (as {@code ballast up} runs the jobs).
 */
public final class FlinkEnvironments {
    public static final int PARALLELISM = 2;

    private FlinkEnvironments() {
    }

    public static StreamExecutionEnvironment local(Path checkpoints) {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.setString("state.backend.rocksdb.timer-service.factory", "HEAP");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        conf.set(RestOptions.BIND_PORT, "0");
        // a benchmark run that fails is reported, not restarted for ever
        conf.setString("restart-strategy.type", "none");
        return StreamExecutionEnvironment.createLocalEnvironment(PARALLELISM, conf);
    }

    public static String describe() {
        return "MiniCluster p=" + PARALLELISM + ", RocksDB (incremental checkpoints), heap timers";
    }
}
