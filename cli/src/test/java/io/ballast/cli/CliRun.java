package io.ballast.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import picocli.CommandLine;

/** One run of the ballast command, in this JVM, with what it printed. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        CommandLine cli = Ballast.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    static CliRun against(String bootstrap, String registry, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("-b", bootstrap, "-r", registry));
        return of(all.toArray(String[]::new));
    }

    List<String> outLines() {
        return out.isBlank() ? List.of() : List.of(out.strip().split("\\R"));
    }

    List<String> errLines() {
        return err.isBlank() ? List.of() : List.of(err.strip().split("\\R"));
    }
}
