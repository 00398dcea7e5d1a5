package io.ballast.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM that runs the Flink jobs for {@code ballast up}, started from the built {@code flink-jobs/jobs}
 * module, logging to {@code <data>/flink/jobs.log}; SIGTERM cancels the jobs, which keep their last checkpoint.
 */
final class JobsProcess {
    static final ChildJvm JVM = new ChildJvm("the Flink jobs", "jobs.dir", List.of("classpath.txt", "classpath-provided.txt"),
            List.of("-Xmx1g", "--add-opens=java.base/java.util=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED"),
            "io.ballast.jobs.EmbeddedJobs", "ballast jobs running");

    private JobsProcess() {
    }

    /** Starts the jobs against the platform, plus any {@code key=value} settings, and waits until they are submitted. */
    static ChildJvm.Running start(Path dataDir, String bootstrapServers, String registryUrl, List<String> settings, Duration timeout) {
        Path flinkDir = dataDir.resolve("flink");
        List<String> args = new ArrayList<>(List.of("data.dir=" + flinkDir, "bootstrap.servers=" + bootstrapServers,
                "registry.url=" + registryUrl));
        args.addAll(settings);
        return JVM.start(args, flinkDir.resolve("jobs.log"), timeout);
    }
}
