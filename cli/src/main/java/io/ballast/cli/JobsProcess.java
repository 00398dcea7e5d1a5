package io.ballast.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The JVM that runs the Flink jobs for {@code ballast up}: a child process (Flink's RocksDB must not share
 * a classpath with Kafka Streams'), started from the built {@code flink-jobs/jobs} module, logging to
 * {@code <data>/flink/jobs.log}, stopped with SIGTERM so its jobs cancel and keep their last checkpoint.
 */
final class JobsProcess implements AutoCloseable {
    private static final String READY = "ballast jobs running";
    private static final List<String> JVM_FLAGS = List.of("-Xmx1g", "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED");

    private final Process process;
    private final Path logFile;

    private JobsProcess(Process process, Path logFile) {
        this.process = process;
        this.logFile = logFile;
    }

    /** Starts the jobs against the platform and waits until they are submitted. */
    static JobsProcess start(Path dataDir, String bootstrapServers, String registryUrl, Duration timeout) {
        Path jobsTarget = jobsTarget();
        Path classpathFile = jobsTarget.resolve("classpath.txt");
        if (!Files.exists(classpathFile) || !Files.isDirectory(jobsTarget.resolve("classes"))) {
            throw new IllegalStateException("the Flink jobs are not built (" + classpathFile + " is missing): run "
                    + "'mvn -DskipTests -pl cli,flink-jobs/jobs -am package' or use ./ballast, which does");
        }
        Path flinkDir = dataDir.resolve("flink");
        Path log = flinkDir.resolve("jobs.log");
        try {
            Files.createDirectories(flinkDir);
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.addAll(JVM_FLAGS);
            command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
            command.add("-cp");
            command.add(Files.readString(classpathFile).trim() + File.pathSeparator
                    + Files.readString(jobsTarget.resolve("classpath-provided.txt")).trim() + File.pathSeparator
                    + jobsTarget.resolve("classes") + File.pathSeparator + loggingBackend());
            command.add("io.ballast.jobs.EmbeddedJobs");
            command.add("data.dir=" + flinkDir);
            command.add("bootstrap.servers=" + bootstrapServers);
            command.add("registry.url=" + registryUrl);
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "ballast-jobs-stop"));
            JobsProcess jobs = new JobsProcess(process, log);
            jobs.awaitReady(timeout);
            return jobs;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the Flink jobs (log " + log + ")", e);
        }
    }

    private void awaitReady(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(logFile) && Files.readString(logFile, StandardCharsets.UTF_8).contains(READY)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the Flink jobs exited with " + process.exitValue() + "; see " + logFile);
            }
            try {
                process.waitFor(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the Flink jobs", e);
            }
        }
        process.destroy();
        throw new IllegalStateException("the Flink jobs did not start within " + timeout.toSeconds() + " s; see " + logFile);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path logFile() {
        return logFile;
    }

    /** SIGTERM, so the jobs cancel and keep their checkpoints; killed if still there after 30 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static Path jobsTarget() {
        Properties properties = new Properties();
        try (InputStream in = JobsProcess.class.getResourceAsStream("/ballast-cli.properties")) {
            properties.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("ballast-cli.properties is missing from the CLI build", e);
        }
        return Path.of(properties.getProperty("jobs.dir")).normalize();
    }

    /** slf4j-simple from the CLI's own class path: the jobs module carries no logging backend. */
    private static String loggingBackend() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.contains("slf4j-simple")).findFirst().orElse("");
    }
}
