package io.ballast.bench.report;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ballast bench}: runs every suite in a JVM of its own (Flink's RocksDB and Kafka Streams' never share a
 * class path), merges their figures into one report with the commit and the machine, writes it and prints a table.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Runs Ballast's benchmarks, each figure beside its engine's reference from the same run (interleaved rounds), "
                + "writes a JSON report and prints a table. Exit status 1 if a benchmark failed (an unmet goal is not a failure).")
public final class BenchCommand implements Callable<Integer> {
    /** A suite: its module (whose target holds classes and classpath.txt) and main class. */
    record SuiteJvm(String name, String module, String mainClass) {
    }

    static final List<SuiteJvm> SUITES = List.of(
            new SuiteJvm("flink", "bench", "io.ballast.bench.FlinkSuite"),
            new SuiteJvm("streams", "bench/streams", "io.ballast.bench.StreamsSuite"));

    @Option(names = "--quick", description = "smaller workloads: the whole run in under 3 minutes on 2 cores")
    boolean quick;

    @Option(names = "--only", split = ",", paramLabel = "NAME", description = "only these benchmarks (see --list)")
    List<String> only;

    @Option(names = "--out", paramLabel = "FILE", description = "the JSON report (default: ${DEFAULT-VALUE})",
            defaultValue = "bench/target/bench-report.json")
    Path out;

    @Option(names = "--rounds", description = "interleaved rounds of each figure and its reference, >= 3 (default: ${DEFAULT-VALUE})",
            defaultValue = "3")
    int rounds;

    @Option(names = "--list", description = "print the benchmarks' names and exit")
    boolean list;

    @Option(names = "--root", hidden = true, defaultValue = "${sys:ballast.root:-.}")
    Path root;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (rounds < 3) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--rounds must be >= 3, got " + rounds);
        }
        Map<SuiteJvm, List<String>> names = new LinkedHashMap<>();
        for (SuiteJvm suite : SUITES) {
            names.put(suite, listNames(suite));
        }
        if (list) {
            names.forEach((suite, benches) -> benches.forEach(b -> System.out.println(b + "  (" + suite.name() + " suite)")));
            return 0;
        }
        Set<String> known = new LinkedHashSet<>();
        names.values().forEach(known::addAll);
        if (only != null) {
            List<String> unknown = only.stream().filter(n -> !known.contains(n)).toList();
            if (!unknown.isEmpty()) {
                throw new CommandLine.ParameterException(new CommandLine(this), "unknown benchmark(s) " + unknown + "; known: " + known);
            }
        }
        long start = System.nanoTime();
        List<JsonNode> figures = new ArrayList<>();
        List<JsonNode> failures = new ArrayList<>();
        for (SuiteJvm suite : SUITES) {
            List<String> selected = names.get(suite).stream().filter(n -> only == null || only.contains(n)).toList();
            if (selected.isEmpty()) {
                continue;
            }
            JsonNode part = runSuite(suite, selected);
            part.get("figures").forEach(figures::add);
            part.get("failures").forEach(failures::add);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("commit", commit());
        report.put("machine", machine());
        report.put("run", Map.of("quick", quick, "rounds", rounds, "finishedAt", Instant.now().toString(),
                "seconds", Math.round((System.nanoTime() - start) / 1e9)));
        report.put("figures", figures);
        report.put("failures", failures);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        ReportTable.print(figures, failures, System.out);
        System.out.println("report: " + out);
        return failures.isEmpty() ? 0 : 1;
    }

    private List<String> listNames(SuiteJvm suite) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command(suite, List.of("--list"))).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the " + suite.name() + " suite could not list its benchmarks (exit " + p.exitValue() + ")");
        }
        return output.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private JsonNode runSuite(SuiteJvm suite, List<String> selected) throws IOException, InterruptedException {
        Path part = Files.createTempFile("ballast-bench-" + suite.name(), ".json");
        List<String> args = new ArrayList<>(List.of("--rounds", Integer.toString(rounds), "--only", String.join(",", selected),
                "--out", part.toString()));
        if (quick) {
            args.add("--quick");
        }
        Process p = new ProcessBuilder(command(suite, args)).inheritIO().start();
        int status = p.waitFor();
        if (Files.size(part) == 0) {
            throw new IllegalStateException("the " + suite.name() + " suite exited with " + status + " and wrote no report");
        }
        JsonNode node = new ObjectMapper().readTree(part.toFile());
        Files.delete(part);
        return node;
    }

    private List<String> command(SuiteJvm suite, List<String> args) throws IOException {
        Path target = root.resolve(suite.module()).resolve("target");
        Path classpath = target.resolve("classpath.txt");
        if (!Files.exists(classpath)) {
            throw new IllegalStateException(suite.module() + " is not built (" + classpath + " is missing): run "
                    + "'mvn -DskipTests -pl bench,bench/streams -am package' or ./ballast bench, which does");
        }
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"), "-Xmx4g",
                "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                "--add-opens=java.base/java.lang=ALL-UNNAMED", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dorg.slf4j.simpleLogger.log.org.apache.flink.metrics.MetricGroup=error",
                "-cp", target.resolve("classes") + File.pathSeparator + Files.readString(classpath).strip(), suite.mainClass()));
        String extra = System.getenv("BALLAST_BENCH_JVM_OPTS");
        if (extra != null && !extra.isBlank()) {
            // e.g. a JFR recording of a suite: -XX:StartFlightRecording=filename=/tmp/suite.jfr,settings=profile
            command.addAll(command.size() - 1, List.of(extra.trim().split("\\s+")));
        }
        command.addAll(args);
        return command;
    }

    private String commit() {
        try {
            Process p = new ProcessBuilder("git", "-C", root.toString(), "describe", "--always", "--dirty", "--abbrev=40")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor() == 0 ? out : "unknown (" + out + ")";
        } catch (IOException | InterruptedException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static Map<String, Object> machine() {
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        return Map.of("cores", Runtime.getRuntime().availableProcessors(), "memoryGiB", Math.round(memory / (double) (1L << 30)),
                "java", System.getProperty("java.version"), "os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    }
}
