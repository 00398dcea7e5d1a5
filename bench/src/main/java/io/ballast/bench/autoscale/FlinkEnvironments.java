package io.ballast.bench.autoscale;

import java.nio.file.Path;

import io.ballast.jobs.JobEnvironment;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
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
        // what every Ballast job asks of its Flink (RocksDB, incremental checkpoints, heap timers), declared once
        Configuration conf = JobEnvironment.configuration();
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
