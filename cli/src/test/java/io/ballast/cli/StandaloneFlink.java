package io.ballast.cli;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.ballast.embedded.FreePort;
import io.ballast.embedded.junit.Await;

/**
 * A real standalone Flink session cluster for tests: a JobManager ({@code StandaloneSessionClusterEntrypoint})
 * and a TaskManager ({@code TaskManagerRunner}) as two JVM processes, started from Flink's Maven jars (the class
 * path of {@code flink-jobs/session}), with the memory settings Flink's own {@code BashJavaUtils} computes, as
 * {@code start-cluster.sh} does. Everything on 127.0.0.1. Not a mock: the same processes a Flink tarball starts.
 */
final class StandaloneFlink implements AutoCloseable {
    /** Flink's default {@code env.java.opts.all} for Java 17. */
    private static final List<String> OPENS = List.of("--add-exports=java.base/sun.net.util=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED", "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private final Path dir;
    private final String url;
    private final Process jobManager;
    private final Process taskManager;

    private StandaloneFlink(Path dir, String url, Process jobManager, Process taskManager) {
        this.dir = dir;
        this.url = url;
        this.jobManager = jobManager;
        this.taskManager = taskManager;
    }

    /** Starts the cluster under {@code dir} and waits until its TaskManager has registered its slots. */
    static StandaloneFlink start(Path dir) throws IOException {
        int restPort = FreePort.find();
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(conf.resolve("config.yaml"), String.join("\n",
                "jobmanager.rpc.address: 127.0.0.1",
                "jobmanager.rpc.port: " + FreePort.find(),
                "jobmanager.bind-host: 127.0.0.1",
                "jobmanager.memory.process.size: 768m",
                "taskmanager.host: 127.0.0.1",
                "taskmanager.bind-host: 127.0.0.1",
                "taskmanager.memory.process.size: 1024m",
                "taskmanager.numberOfTaskSlots: 4",
                "rest.address: 127.0.0.1",
                "rest.bind-address: 127.0.0.1",
                "rest.port: " + restPort,
                "blob.server.bind-host: 127.0.0.1",
                "parallelism.default: 1",
                "state.backend.type: rocksdb",
                "execution.checkpointing.dir: " + Files.createDirectories(dir.resolve("checkpoints")).toUri(),
                "execution.checkpointing.savepoint-dir: " + Files.createDirectories(dir.resolve("savepoints")).toUri(),
                "web.upload.dir: " + Files.createDirectories(dir.resolve("uploads")),
                "io.tmp.dirs: " + Files.createDirectories(dir.resolve("tmp")),
                // a TaskManager that starts before the JobManager would otherwise wait 10 s to retry
                "cluster.registration.error-delay: 500 ms",
                // REST answers are cached 3 s by default
                "web.refresh-interval: 200 ms", ""));
        String classpath = classpath();
        Process jm = java(dir, "jobmanager", memory(classpath, conf, "GET_JM_RESOURCE_PARAMS"), classpath,
                "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", conf);
        Process tm = java(dir, "taskmanager", memory(classpath, conf, "GET_TM_RESOURCE_PARAMS"), classpath,
                "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", conf);
        StandaloneFlink flink = new StandaloneFlink(dir, "http://127.0.0.1:" + restPort, jm, tm);
        try {
            Await.until("the standalone cluster's TaskManager registered", Duration.ofSeconds(60), flink::hasSlots);
        } catch (RuntimeException | AssertionError e) {
            flink.close();
            throw e;
        }
        return flink;
    }

    String url() {
        return url;
    }

    /** What the JobManager and the TaskManager logged. */
    String logs() throws IOException {
        return Files.readString(dir.resolve("jobmanager.log")) + Files.readString(dir.resolve("taskmanager.log"));
    }

    private boolean hasSlots() {
        if (!jobManager.isAlive() || !taskManager.isAlive()) {
            throw new IllegalStateException("a Flink process exited; see " + dir.resolve("jobmanager.log") + " and " + dir.resolve("taskmanager.log"));
        }
        try {
            HttpResponse<String> overview = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/overview"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return overview.statusCode() == 200 && !overview.body().contains("\"slots-total\":0");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The JVM options and dynamic properties {@code BashJavaUtils} computes from the configuration, as the start scripts use them. */
    private static List<String> memory(String classpath, Path conf, String command) throws IOException {
        Process utils = new ProcessBuilder(javaCommand(), "-cp", classpath, "org.apache.flink.runtime.util.bash.BashJavaUtils", command,
                "--configDir", conf.toString()).redirectErrorStream(true).start();
        String output = new String(utils.getInputStream().readAllBytes());
        List<String> results = output.lines().filter(l -> l.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:"))
                .map(l -> l.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length())).toList();
        if (results.size() < 2) {
            throw new IllegalStateException("BashJavaUtils " + command + " gave no result: " + output);
        }
        List<String> args = new ArrayList<>(Arrays.asList(results.get(0).trim().split("\\s+")));
        args.add("--");
        args.addAll(Arrays.asList(results.get(1).trim().split("\\s+")));
        return args;
    }

    private static Process java(Path dir, String name, List<String> memory, String classpath, String main, Path conf) throws IOException {
        int split = memory.indexOf("--");
        List<String> command = new ArrayList<>(List.of(javaCommand()));
        command.addAll(memory.subList(0, split));
        command.addAll(OPENS);
        command.addAll(List.of("-Dlog.file=" + dir.resolve(name + ".log"), "-cp", classpath, main, "--configDir", conf.toString()));
        command.addAll(memory.subList(split + 1, memory.size()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "flink-" + name + "-kill"));
        return process;
    }

    private static String classpath() {
        Path target = Path.of(FlinkJob.buildProperty("flink.dir")).normalize();
        try {
            return Files.readString(target.resolve("classpath.txt")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("the Flink class path is not built (" + target + "); build flink-jobs/session first", e);
        }
    }

    private static String javaCommand() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    @Override
    public void close() {
        for (Process process : List.of(taskManager, jobManager)) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "standalone Flink at " + url + " (" + File.separator + dir + ")";
    }
}
