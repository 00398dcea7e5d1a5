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

import io.ballast.embedded.TempDirs;

/**
 * A JVM that {@code ballast up} runs beside itself (the Flink jobs, the Streams apps): started from a built
 * module's class path, logging to a file, ready once the log shows its marker, stopped with SIGTERM so
 * it can shut down cleanly. Flink's RocksDB and Kafka Streams' never share a class path, so each runs in
 * a JVM of its own.
 *
 * @param what       how messages name it, e.g. "the Flink jobs"
 * @param moduleKey  the key of the module's target directory in ballast-cli.properties
 * @param classpaths the class path files in that target directory, in order
 */
record ChildJvm(String what, String moduleKey, List<String> classpaths, List<String> jvmFlags, String mainClass,
                String readyMarker) {

    /** A started child. */
    static final class Running implements AutoCloseable {
        /** How long the JVM's exit waits for an owner that stops the child in its own order before stopping it. */
        private static final long OWNER_GRACE_SECONDS = 60;

        private final Process process;
        private final Path logFile;
        private volatile boolean ownerStops;

        private Running(Process process, Path logFile) {
            this.process = process;
            this.logFile = logFile;
        }

        /**
         * Says that the owner stops this child when the JVM exits, in its own order (up cancels the jobs while Flink
         * still answers, then stops Flink): the JVM's own exit hook, which runs at the same time as the owner's, then
         * waits for the child to end instead of stopping it at once, and stops it only if it is still there after
         * {@value #OWNER_GRACE_SECONDS} s. Returns this child.
         */
        Running stoppedByOwner() {
            ownerStops = true;
            return this;
        }

        /** At the JVM's exit: stops the child, unless its owner does. */
        private void stopAtExit() {
            try {
                if (!ownerStops || !process.waitFor(OWNER_GRACE_SECONDS, TimeUnit.SECONDS)) {
                    process.destroy();
                }
            } catch (InterruptedException e) {
                process.destroy();
                Thread.currentThread().interrupt();
            }
        }

        boolean isAlive() {
            return process.isAlive();
        }

        Path logFile() {
            return logFile;
        }

        @Override
        public void close() {
            stop();
        }

        /** SIGKILL: no shutdown hook, no last checkpoint; what a crash looks like to whatever restarts it. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        /** SIGTERM, so the child shuts down cleanly; killed if still there after 30 s. Returns once it is gone. */
        void stop() {
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
    }

    /** Starts the child with {@code args} and waits until its log shows the ready marker. */
    Running start(List<String> args, Path logFile, Duration timeout) {
        Path target = target();
        List<String> classpath = new ArrayList<>();
        for (String file : classpaths) {
            Path path = target.resolve(file);
            if (!Files.exists(path) || !Files.isDirectory(target.resolve("classes"))) {
                throw new IllegalStateException(what + " are not built (" + path + " is missing): run "
                        + "'mvn -DskipTests -pl cli,flink-jobs/jobs,flink-jobs/session,streams -am package' or use ./ballast, which does");
            }
            classpath.add(read(path));
        }
        classpath.add(target.resolve("classes").toString());
        classpath.add(loggingBackend());
        try {
            Files.createDirectories(logFile.getParent());
            // its temporary files (Flink's RPC jar, RocksDB's native library) beside its log, not in /tmp: a child killed
            // with SIGKILL cannot delete them, so each start clears what the one before left
            Path tmp = logFile.getParent().resolve("tmp");
            TempDirs.deleteQuietly(tmp);
            Files.createDirectories(tmp);
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.addAll(jvmFlags);
            command.add("-Djava.io.tmpdir=" + tmp);
            command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
            command.add("-cp");
            command.add(String.join(File.pathSeparator, classpath));
            command.add(mainClass);
            command.addAll(args);
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
            Running running = new Running(process, logFile);
            Runtime.getRuntime().addShutdownHook(new Thread(running::stopAtExit, "ballast-child-stop"));
            awaitReady(running, timeout);
            return running;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + what + " (log " + logFile + ")", e);
        }
    }

    private void awaitReady(Running child, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(child.logFile) && Files.readString(child.logFile, StandardCharsets.UTF_8).contains(readyMarker)) {
                return;
            }
            if (!child.process.isAlive()) {
                throw new IllegalStateException(what + " exited with " + child.process.exitValue() + firstError(child.logFile)
                        + "; see " + child.logFile);
            }
            try {
                child.process.waitFor(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting " + what, e);
            }
        }
        child.process.destroy();
        throw new IllegalStateException(what + " did not start within " + timeout.toSeconds() + " s; see " + child.logFile);
    }

    /** What the child died of, when its log says (a refused setting is the usual case), as ": message". */
    private static String firstError(Path logFile) throws IOException {
        String marker = "Exception in thread \"main\" ";
        for (String line : Files.readAllLines(logFile, StandardCharsets.UTF_8)) {
            int at = line.indexOf(marker);
            if (at >= 0) {
                String error = line.substring(at + marker.length());
                int colon = error.indexOf(": ");
                return ": " + (colon >= 0 ? error.substring(colon + 2) : error);
            }
        }
        return "";
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path target() {
        Properties properties = new Properties();
        try (InputStream in = ChildJvm.class.getResourceAsStream("/ballast-cli.properties")) {
            properties.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("ballast-cli.properties is missing from the CLI build", e);
        }
        return Path.of(properties.getProperty(moduleKey)).normalize();
    }

    /** slf4j-simple from the CLI's own class path: the child modules carry no logging backend. */
    private static String loggingBackend() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.contains("slf4j-simple")).findFirst().orElse("");
    }
}
