package io.ballast.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ballast submit}: runs one of the decision jobs on a Flink cluster from the job jar, over Flink's REST API, and
 * waits until every vertex is RUNNING. Prints the job id.
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Run a decision job (autoscaler, rebalancer, invalidator) on a Flink cluster and wait until it is RUNNING; prints its job id.")
final class SubmitCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "JOB", description = "autoscaler, rebalancer or invalidator")
    String job;

    @Option(names = "--from-savepoint", paramLabel = "PATH", description = "Start from this savepoint or retained checkpoint.")
    String savepoint;

    @Mixin
    SubmitOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return options.submit(spec, FlinkJob.of(job), savepoint);
    }
}
