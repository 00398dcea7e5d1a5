package io.ballast.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import io.ballast.rebalance.ClusterJson;
import io.ballast.rebalance.InvalidClusterException;
import io.ballast.rebalance.Plan;
import io.ballast.rebalance.Planner;
import io.ballast.rebalance.PlannerSettings;
import io.ballast.rebalance.ShardGrowth;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ballast rebalance}: the rebalancer's planner on the command line, for what-if questions and audits. */
@Command(name = "rebalance", mixinStandardHelpOptions = true, description = "Plan shard moves or shard growth, offline.",
        subcommands = {RebalanceCommand.PlanCommand.class, RebalanceCommand.Grow.class})
final class RebalanceCommand {

    /** {@code ballast rebalance plan}: a cluster model in, the plan the job would make out. */
    @Command(name = "plan", mixinStandardHelpOptions = true,
            description = "Print the plan for a cluster as JSON. Exit 0 planned or empty, 1 infeasible, 2 bad input.")
    static final class PlanCommand implements Callable<Integer> {
        @Option(names = "--cluster", required = true, description = "The cluster model (JSON; see README).")
        Path cluster;

        @Option(names = "--goals", description = "Goals and limits (JSON); what it leaves out keeps its default.")
        Path goals;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            try {
                PlannerSettings settings = goals == null ? PlannerSettings.DEFAULTS : read(goals, true).settings();
                Plan plan = new Planner(settings).plan(read(cluster, false).cluster());
                spec.commandLine().getOut().println(ClusterJson.write(plan));
                return plan.status() == Plan.Status.INFEASIBLE ? ExitCodes.SOME_REFUSED : ExitCodes.OK;
            } catch (Refused refused) {
                PrintWriter err = spec.commandLine().getErr();
                refused.cause.problems().forEach(p -> err.println(refused.file + ": " + p));
                return ExitCodes.FAILED;
            }
        }

        private record Read(io.ballast.rebalance.Cluster cluster, PlannerSettings settings) {
        }

        private static Read read(Path file, boolean goalsFile) throws IOException {
            try (InputStream in = Files.newInputStream(file)) {
                return goalsFile ? new Read(null, ClusterJson.readGoals(in)) : new Read(ClusterJson.readCluster(in), null);
            } catch (InvalidClusterException e) {
                throw new Refused(file, e);
            }
        }
    }

    /** {@code ballast rebalance grow}: the new shard count and the data it moves. */
    @Command(name = "grow", mixinStandardHelpOptions = true,
            description = "Compute the shard count that brings the fullest shard under the threshold, and the exact expected movement.")
    static final class Grow implements Callable<Integer> {
        @Option(names = "--shards", required = true, description = "The current shard count.")
        int shards;

        @Option(names = "--max-util", required = true, description = "The fullest shard's utilisation, e.g. 0.95.")
        double maxUtil;

        @Option(names = "--threshold", defaultValue = "0.8", description = "Grow when a shard passes this (default ${DEFAULT-VALUE}).")
        double threshold;

        @Option(names = "--vnodes", defaultValue = "128", description = "Virtual points per shard on the ring (default ${DEFAULT-VALUE}).")
        int vnodes;

        @Option(names = "--bytes", defaultValue = "0", description = "The keyspace's total bytes, to state the bytes moved.")
        long bytes;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try {
                ShardGrowth growth = ShardGrowth.grow(shards, maxUtil, threshold, vnodes, bytes);
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("from", growth.from());
                out.put("to", growth.to());
                out.put("vnodes", vnodes);
                out.put("movedShare", growth.movedShare());
                out.put("movedBytes", growth.movedBytes());
                out.put("shares", growth.shares());
                spec.commandLine().getOut().println(ClusterJson.write(out));
                return ExitCodes.OK;
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println(e.getMessage());
                return ExitCodes.FAILED;
            }
        }
    }

    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Path file;
        final InvalidClusterException cause;

        Refused(Path file, InvalidClusterException cause) {
            super(cause.getMessage(), cause, false, false);
            this.file = file;
            this.cause = cause;
        }
    }

    private RebalanceCommand() {
    }
}
