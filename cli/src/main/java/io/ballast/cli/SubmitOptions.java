package io.ballast.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** What {@code ballast submit} and {@code ballast jobs resume} take, and the submission they both make. */
final class SubmitOptions {
    @Mixin
    FlinkTarget flink;

    @Mixin
    Endpoints endpoints;

    @Option(names = "--parallelism", paramLabel = "N", description = "The job's parallelism (default: the cluster's).")
    Integer parallelism;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A setting of the job (repeatable); keys in README.")
    List<String> settings = new ArrayList<>();

    @Option(names = "--jar", paramLabel = "FILE", description = "The job jar (default: the one this build made, flink-jobs/jobs/target/ballast-jobs.jar).")
    Path jar;

    @Option(names = "--timeout", defaultValue = "120s", converter = DurationConverter.class,
            description = "How long to wait for every vertex to be RUNNING (default ${DEFAULT-VALUE}).")
    Duration timeout;

    /** Submits {@code job} (from {@code savepoint} when not null), prints its id on stdout and a line for people on stderr. */
    int submit(CommandSpec spec, FlinkJob job, String savepoint) {
        FlinkRest rest = flink.rest();
        JobSubmission submission = new JobSubmission(job, jar != null ? jar : FlinkJob.builtJar(), endpoints.config(),
                JobSubmission.settings(settings), parallelism, savepoint, Map.of());
        JobSubmission.Submitted submitted = submission.submit(rest, timeout);
        PrintWriter out = spec.commandLine().getOut();
        out.println(submitted.jobId());
        out.flush();
        PrintWriter err = spec.commandLine().getErr();
        err.printf("%s is RUNNING on %s as job %s (%.1f s%s)%n", job.jobName(), rest.url(), submitted.jobId(),
                submitted.toRunning().toMillis() / 1000.0, savepoint == null ? "" : ", from " + savepoint);
        err.flush();
        return ExitCodes.OK;
    }
}
