package io.ballast.flink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ClusterOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Flink of {@code ballast up}: a MiniCluster in a JVM of its own that behaves as a session cluster. Its
 * REST API and web UI listen on 127.0.0.1 at a fixed port and take jar uploads, so the jobs are submitted to it
 * from the job jar exactly as to any Flink cluster ({@code ballast submit}, {@code ballast jobs}). Every
 * listener binds to 127.0.0.1. Checkpoints go under the data directory; stopping it (SIGTERM) cancels the jobs,
 * whose checkpoints are retained.
 *
 * <p>Arguments: {@code data.dir=DIR rest.port=N [slots=N]}.
 */
public final class EmbeddedFlink {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedFlink.class);
    /** Under the data directory: the MiniCluster's working directories. */
    static final String WORK = "work";
    /** What the log shows once the REST API answers. */
    public static final String READY = "ballast flink running at ";

    private EmbeddedFlink() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> given = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("arguments are key=value, got '" + arg + "'");
            }
            given.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        Path dataDir = Path.of(require(given, "data.dir"));
        int port = Integer.parseInt(require(given, "rest.port"));
        int slots = Integer.parseInt(given.getOrDefault("slots", "8"));
        deleteStaleWorkingDirectories(dataDir);
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(configuration(dataDir, port))
                .setNumTaskManagers(1).setNumSlotsPerTaskManager(slots).build());
        cluster.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cancelAll(cluster);
            try {
                cluster.close();
            } catch (Exception e) {
                LOG.warn("the MiniCluster did not stop cleanly: {}", e.toString());
            }
            stopped.countDown();
        }, "ballast-flink-stop"));
        System.out.println(READY + cluster.getRestAddress().get());
        System.out.flush();
        stopped.await();
    }

    /** Loopback everywhere, the port given, checkpoints and uploads under {@code dataDir}. */
    static Configuration configuration(Path dataDir, int port) throws IOException {
        Configuration conf = new Configuration();
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.PORT, port);
        conf.set(RestOptions.BIND_PORT, Integer.toString(port));
        conf.set(JobManagerOptions.ADDRESS, "127.0.0.1");
        conf.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
        conf.set(TaskManagerOptions.HOST, "127.0.0.1");
        conf.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
        conf.setString("blob.server.bind-host", "127.0.0.1");
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, Files.createDirectories(dataDir.resolve("checkpoints")).toUri().toString());
        conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, Files.createDirectories(dataDir.resolve("savepoints")).toUri().toString());
        conf.set(WebOptions.UPLOAD_DIR, Files.createDirectories(dataDir.resolve("uploads")).toString());
        // the MiniCluster's working directory (the jobs' jar blobs, the task manager's RocksDB working dirs, ~170 MB):
        // in /tmp, a Flink JVM that was killed left it there for good; here the next start deletes it
        conf.set(ClusterOptions.PROCESS_WORKING_DIR_BASE, Files.createDirectories(dataDir.resolve(WORK)).toString());
        // REST answers are cached 3 s by default: a status just after a change would be stale
        conf.set(WebOptions.REFRESH_INTERVAL, java.time.Duration.ofMillis(200));
        return conf;
    }

    /** Deletes the working directories a Flink JVM killed before its MiniCluster closed left under {@code dataDir}. */
    static void deleteStaleWorkingDirectories(Path dataDir) throws IOException {
        Path work = dataDir.resolve(WORK);
        if (!Files.isDirectory(work)) {
            return;
        }
        try (Stream<Path> stale = Files.list(work)) {
            for (Path dir : stale.filter(d -> d.getFileName().toString().startsWith("minicluster_")).toList()) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
                LOG.info("deleted the working directory {} a stopped Flink JVM had left", dir);
            }
        }
    }

    /** Cancels every running job (their checkpoints are retained), so none is left half-stopped. */
    private static void cancelAll(MiniCluster cluster) {
        try {
            Collection<JobStatusMessage> jobs = cluster.listJobs().get(10, TimeUnit.SECONDS);
            for (JobStatusMessage job : jobs) {
                if (!job.getJobState().isGloballyTerminalState()) {
                    JobID id = job.getJobId();
                    cluster.cancelJob(id).get(30, TimeUnit.SECONDS);
                    LOG.info("cancelled {} ({})", job.getJobName(), id);
                }
            }
        } catch (Exception e) {
            LOG.warn("could not cancel every job before stopping: {}", e.toString());
        }
    }

    private static String require(Map<String, String> given, String key) {
        String value = given.get(key);
        if (value == null) {
            throw new IllegalArgumentException(key + "=... is required");
        }
        return value;
    }
}
