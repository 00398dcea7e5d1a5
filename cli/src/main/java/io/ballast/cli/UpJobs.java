package io.ballast.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.ballast.client.ClientConfig;

/**
 * The decision jobs of {@code ballast up}: each a Flink job of its own (own checkpoints, own restarts), submitted
 * from the job jar over Flink's REST API to up's MiniCluster or to the cluster {@code --flink} names. Each resumes
 * from its latest retained checkpoint: on the MiniCluster from {@code <data>/flink/checkpoints/<job>}, on another
 * cluster from the latest checkpoint Flink reports for the job this data directory last ran there.
 */
final class UpJobs {
    /** {@code --jobs} keys with these prefixes go to the rebalancer and the invalidator; the others to the autoscaler. */
    static final String REBALANCER_PREFIX = "rebalancer.";
    static final String INVALIDATOR_PREFIX = "invalidator.";

    private final FlinkRest flink;
    private final Path dataDir;
    private final boolean embedded;
    private final Map<FlinkJob, String> running = new EnumMap<>(FlinkJob.class);
    /** The jobs this up submitted (not those it found running): the ones it cancels when it stops. */
    private final Map<FlinkJob, String> submitted = new EnumMap<>(FlinkJob.class);

    UpJobs(FlinkRest flink, Path dataDir, boolean embedded) {
        this.flink = flink;
        this.dataDir = dataDir;
        this.embedded = embedded;
    }

    /**
     * Submits every job (one already RUNNING there under its name is kept), then waits until each is RUNNING: they
     * start side by side.
     */
    void start(ClientConfig clients, List<String> jobSettings, Duration timeout) {
        Map<FlinkJob, Map<String, String>> settings = split(JobSubmission.settings(jobSettings));
        String jarId = flink.upload(FlinkJob.builtJar());
        for (FlinkJob job : FlinkJob.values()) {
            Optional<FlinkRest.Job> already = embedded ? Optional.empty()
                    : flink.jobs().stream().filter(j -> j.name().equals(job.jobName()) && j.state().equals("RUNNING")).findFirst();
            if (already.isPresent()) {
                running.put(job, already.get().id());
                continue;
            }
            Map<String, String> flinkConfiguration = new LinkedHashMap<>();
            String restoreFrom;
            if (embedded) {
                Path checkpoints = dataDir.resolve("flink").resolve("checkpoints").resolve(job.jobName());
                Optional<Path> latest = FlinkCheckpoints.latest(checkpoints);
                FlinkCheckpoints.pruneRunsBefore(checkpoints, latest.map(Path::getParent).orElse(null));
                flinkConfiguration.put("execution.checkpointing.dir", checkpoints.toUri().toString());
                restoreFrom = latest.map(Path::toString).orElse(null);
            } else {
                restoreFrom = lastRun(job).flatMap(flink::latestCheckpoint).map(FlinkRest.Checkpoint::externalPath).orElse(null);
            }
            JobSubmission submission = new JobSubmission(job, FlinkJob.builtJar(), clients, settings.get(job), null, restoreFrom,
                    flinkConfiguration);
            String id = submission.run(flink, jarId);
            running.put(job, id);
            submitted.put(job, id);
            remember(job, id);
        }
        for (String id : submitted.values()) {
            flink.awaitRunning(id, timeout);
        }
    }

    /** The jobs' names and ids. */
    Map<FlinkJob, String> running() {
        return Map.copyOf(running);
    }

    /** Cancels the jobs this up submitted (one it found running is left alone); their retained checkpoints stay. */
    void cancel() {
        for (Map.Entry<FlinkJob, String> e : submitted.entrySet()) {
            try {
                flink.cancel(e.getValue());
            } catch (RuntimeException ex) {
                System.err.println("could not cancel " + e.getKey().jobName() + " (" + e.getValue() + "): " + ex.getMessage());
            }
        }
    }

    /** The autoscaler's keys as they are; {@code rebalancer.} and {@code invalidator.} keys to those jobs, without the prefix. */
    static Map<FlinkJob, Map<String, String>> split(Map<String, String> given) {
        Map<FlinkJob, Map<String, String>> byJob = new EnumMap<>(FlinkJob.class);
        for (FlinkJob job : FlinkJob.values()) {
            byJob.put(job, new LinkedHashMap<>());
        }
        given.forEach((key, value) -> {
            if (key.startsWith(REBALANCER_PREFIX)) {
                byJob.get(FlinkJob.REBALANCER).put(key.substring(REBALANCER_PREFIX.length()), value);
            } else if (key.startsWith(INVALIDATOR_PREFIX)) {
                byJob.get(FlinkJob.INVALIDATOR).put(key.substring(INVALIDATOR_PREFIX.length()), value);
            } else {
                byJob.get(FlinkJob.AUTOSCALER).put(key, value);
            }
        });
        return byJob;
    }

    private Path runsFile(FlinkJob job) {
        return dataDir.resolve("flink").resolve("runs").resolve(job.jobName());
    }

    private Optional<String> lastRun(FlinkJob job) {
        try {
            Path file = runsFile(job);
            return Files.exists(file) ? Optional.of(Files.readString(file).trim()).filter(s -> !s.isEmpty()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void remember(FlinkJob job, String id) {
        try {
            Files.createDirectories(runsFile(job).getParent());
            Files.writeString(runsFile(job), id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        running.keySet().forEach(j -> names.add(j.jobName()));
        return String.join(", ", names);
    }
}
