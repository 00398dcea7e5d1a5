package io.ballast.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ballast.client.ClientConfig;

/**
 * One job to run on a Flink cluster from the job jar, as {@code ballast submit}, {@code ballast jobs resume}
 * and {@code ballast up} run it: the jar uploaded once, the client configuration and the job's settings as
 * program arguments, optionally from a savepoint, then awaited until every vertex is RUNNING.
 *
 * @param flinkConfiguration per-job Flink settings (e.g. {@code execution.checkpointing.dir}), empty for the cluster's
 */
record JobSubmission(FlinkJob job, Path jar, ClientConfig clients, Map<String, String> settings, Integer parallelism,
                     String savepointPath, Map<String, String> flinkConfiguration) {

    JobSubmission {
        settings = Map.copyOf(settings);
        flinkConfiguration = Map.copyOf(flinkConfiguration);
    }

    /** What happened. */
    record Submitted(String jobId, String jarId, Duration toRunning) {
    }

    Submitted submit(FlinkRest flink, Duration timeout) {
        long started = System.nanoTime();
        String jarId = flink.upload(jar);
        String jobId = run(flink, jarId);
        flink.awaitRunning(jobId, timeout);
        return new Submitted(jobId, jarId, Duration.ofNanos(System.nanoTime() - started));
    }

    /** Runs the job from an uploaded jar without waiting for it to run; returns its id. */
    String run(FlinkRest flink, String jarId) {
        return flink.run(jarId, new FlinkRest.Run(job.entryClass(), arguments(), parallelism, savepointPath, flinkConfiguration));
    }

    /** {@code --key value} for every client key, then every setting. */
    List<String> arguments() {
        return arguments(clients, settings);
    }

    /** A job jar's program arguments: {@code --key value} for every client key, then every setting. */
    static List<String> arguments(ClientConfig clients, Map<String, String> settings) {
        Map<String, String> all = new LinkedHashMap<>(clients.asMap());
        all.putAll(settings);
        List<String> args = new ArrayList<>();
        all.forEach((k, v) -> {
            args.add("--" + k);
            args.add(v);
        });
        return args;
    }

    /** {@code KEY=VALUE} strings as a map; anything else is refused, naming it. */
    static Map<String, String> settings(List<String> given) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String setting : given) {
            int eq = setting.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--set '" + setting + "' is not KEY=VALUE");
            }
            settings.put(setting.substring(0, eq), setting.substring(eq + 1));
        }
        return settings;
    }
}
