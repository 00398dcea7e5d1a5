package io.ballast.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The Flink of {@code ballast up}: a MiniCluster in a JVM of its own (Flink's RocksDB must not share a class path
 * with Kafka Streams' or the event store's), serving Flink's REST API and web UI on 127.0.0.1 at a fixed port, so
 * the jobs reach it from the job jar as they would any cluster. Logs to {@code <data>/flink/flink.log}; SIGTERM
 * cancels the jobs, whose checkpoints are retained.
 */
final class FlinkProcess {
    static final ChildJvm JVM = new ChildJvm("Flink", "flink.dir", List.of("classpath.txt"),
            List.of("-Xmx1g", "--add-opens=java.base/java.util=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED"),
            "io.ballast.flink.EmbeddedFlink", "ballast flink running at ");

    private FlinkProcess() {
    }

    /** Starts the MiniCluster with its REST API on {@code 127.0.0.1:port} and waits until it answers. */
    static ChildJvm.Running start(Path dataDir, int port, Duration timeout) {
        Path flinkDir = dataDir.resolve("flink");
        return JVM.start(List.of("data.dir=" + flinkDir, "rest.port=" + port), flinkDir.resolve("flink.log"), timeout);
    }
}
