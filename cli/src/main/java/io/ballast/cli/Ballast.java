package io.ballast.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ballast} command. */
@Command(name = "ballast", mixinStandardHelpOptions = true, version = "ballast 0.1.0",
        description = "Event-sourced control plane on Kafka and Flink.",
        subcommands = {UpCommand.class, SubmitCommand.class, JobsCommand.class, TopicsCommand.class, ProduceCommand.class, ConsumeCommand.class, AutoscaleCommand.class, RebalanceCommand.class, StatusCommand.class, AuditCommand.class, ReplayCommand.class, StoreCommand.class,
                CommandLine.HelpCommand.class})
public final class Ballast {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with Ballast's exception handling, for {@code main} and for tests. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Ballast());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + ErrorMessages.of(e));
            return ExitCodes.FAILED;
        });
        return cli;
    }
}
