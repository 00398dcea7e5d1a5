package io.ballast.jobs;

import java.time.Duration;

import io.ballast.client.KafkaClients;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * What every Ballast job asks of the Flink it runs on, wherever that is (a cluster through {@code flink run}
 * or {@code ballast submit}, the MiniCluster of {@code ballast up}, a test): the RocksDB state backend with
 * incremental checkpoints, retained when the job is cancelled (so it can resume), timers on the heap. The
 * checkpoint directory is the cluster's ({@code execution.checkpointing.dir}).
 */
public final class JobEnvironment {
    /** How long a job's main waits for Kafka to answer before it refuses to start. */
    public static final Duration KAFKA_CHECK_TIMEOUT = Duration.ofSeconds(30);

    private JobEnvironment() {
    }

    /** The job configuration: RocksDB, incremental checkpoints retained on cancel, heap timers. */
    public static Configuration configuration() {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        // timers on the heap (checkpointed with the state): a RocksDB timer costs a write per registration
        conf.setString("state.backend.rocksdb.timer-service.factory", "HEAP");
        return conf;
    }

    /** The environment of a job's main: the one Flink gives it (cluster, MiniCluster), with {@link #configuration()}. */
    public static StreamExecutionEnvironment create() {
        return StreamExecutionEnvironment.getExecutionEnvironment(configuration());
    }

    /**
     * Refuses to start a job whose Kafka does not answer its client configuration: the job's main fails with
     * the listener and the setting to fix, which {@code ballast submit} shows, instead of a job that restarts
     * forever on timeouts.
     */
    public static void requireKafka(KafkaClients clients, java.util.Collection<String> topics) {
        clients.requireTopics(topics, KAFKA_CHECK_TIMEOUT);
    }
}
