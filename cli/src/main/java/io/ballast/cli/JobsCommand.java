package io.ballast.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ballast jobs}: list, cancel, savepoint, stop and resume jobs over Flink's REST API. */
@Command(name = "jobs", mixinStandardHelpOptions = true, description = "List, cancel, savepoint, stop and resume Flink jobs.",
        subcommands = {JobsCommand.ListJobs.class, JobsCommand.Cancel.class, JobsCommand.Savepoint.class, JobsCommand.Stop.class,
                JobsCommand.Resume.class})
final class JobsCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "One line per job: name, id, state, start time, last checkpoint.")
    static final class ListJobs implements Callable<Integer> {
        @Mixin
        FlinkTarget flink;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            FlinkRest rest = flink.rest();
            List<FlinkRest.Job> jobs = rest.jobs();
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%-22s %-32s %-10s %-24s %s%n", "NAME", "ID", "STATE", "STARTED", "LAST CHECKPOINT");
            for (FlinkRest.Job job : jobs) {
                String checkpoint = rest.latestCheckpoint(job.id())
                        .map(c -> "#" + c.id() + " at " + Instant.ofEpochMilli(c.at()) + (c.externalPath() == null ? "" : " " + c.externalPath()))
                        .orElse("-");
                out.printf("%-22s %-32s %-10s %-24s %s%n", job.name(), job.id(), job.state(), Instant.ofEpochMilli(job.startTime()), checkpoint);
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a job (its retained checkpoints stay).")
    static final class Cancel implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Mixin
        FlinkTarget flink;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            FlinkRest rest = flink.rest();
            rest.get("jobs/" + id);
            rest.cancel(id);
            spec.commandLine().getOut().println("cancelled " + id);
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }

    /** Takes a savepoint of a job, or stops it with one, and prints where it went. */
    abstract static class WithSavepoint implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Option(names = "--dir", paramLabel = "D", description = "Where (default: the cluster's execution.checkpointing.savepoint-dir).")
        String dir;

        @Mixin
        FlinkTarget flink;

        @Spec
        CommandSpec spec;

        abstract boolean stop();

        @Override
        public Integer call() {
            String location = flink.rest().savepoint(id, dir, stop(), Duration.ofMinutes(5));
            spec.commandLine().getOut().println(location);
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "savepoint", mixinStandardHelpOptions = true, description = "Take a savepoint of a running job; prints its location.")
    static final class Savepoint extends WithSavepoint {
        @Override
        boolean stop() {
            return false;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop a job with a savepoint; prints its location.")
    static final class Stop extends WithSavepoint {
        @Override
        boolean stop() {
            return true;
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Run a job again from a savepoint (as submit --from-savepoint).")
    static final class Resume implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "JOB", description = "autoscaler, rebalancer or invalidator")
        String job;

        @Option(names = "--from-savepoint", required = true, paramLabel = "PATH", description = "The savepoint (or retained checkpoint).")
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
}
