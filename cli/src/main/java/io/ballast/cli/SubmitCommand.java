package io.ballast.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ballast submit}: runs one of the decision jobs on a Flink cluster from the job jar, over Flink's REST
 * API, and waits until every vertex is RUNNING. Prints the job id.
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Run a decision job (autoscaler, rebalancer, invalidator) on a Flink cluster and wait until it is RUNNING; prints its job id.")
final class SubmitCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "JOB", description = "autoscaler, rebalancer or invalidator")
    String job;

    @Mixin
    FlinkTarget flink;

    @Mixin
    Endpoints endpoints;

    @Option(names = "--parallelism", paramLabel = "N", description = "The job's parallelism (default: the cluster's).")
    Integer parallelism;

    @Option(names = "--from-savepoint", paramLabel = "PATH", description = "Start from this savepoint or retained checkpoint.")
    String savepoint;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A setting of the job (repeatable); keys in README.")
    List<String> settings = new ArrayList<>();

    @Option(names = "--jar", paramLabel = "FILE", description = "The job jar (default: the one this build made, flink-jobs/jobs/target/ballast-jobs.jar).")
    Path jar;

    @Option(names = "--timeout", defaultValue = "120s", converter = DurationConverter.class,
            description = "How long to wait for every vertex to be RUNNING (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return submit(spec, FlinkJob.of(job), flink, endpoints, parallelism, savepoint, settings, jar, timeout);
    }

    /** Submits and reports, for {@code submit} and {@code jobs resume}. */
    static int submit(CommandSpec spec, FlinkJob job, FlinkTarget flink, Endpoints endpoints, Integer parallelism, String savepoint,
                      List<String> settings, Path jar, Duration timeout) {
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
