package io.ballast.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Flink's REST API, as {@code ballast submit}, {@code ballast jobs} and {@code ballast up} use it: jar upload
 * and run, job status, cancel, savepoints, stop. Works against any Flink 2.x cluster (and the MiniCluster of
 * {@code ballast up}, which serves the same API). Every failure is a {@link FlinkException} that says what to do.
 */
final class FlinkRest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final URI base;
    private final HttpClient http;

    FlinkRest(String url) {
        String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        if (!trimmed.startsWith("http://") && !trimmed.startsWith("https://")) {
            throw new IllegalArgumentException("--flink '" + url + "' must be an http:// or https:// URL of Flink's REST API, e.g. http://127.0.0.1:8082");
        }
        this.base = URI.create(trimmed + "/");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    String url() {
        return base.toString().substring(0, base.toString().length() - 1);
    }

    /** A job as {@code /jobs/overview} lists it. */
    record Job(String id, String name, String state, long startTime) {
    }

    /** The cluster's jobs, newest first. */
    List<Job> jobs() {
        List<Job> jobs = new ArrayList<>();
        for (JsonNode job : get("jobs/overview").path("jobs")) {
            jobs.add(new Job(job.path("jid").asText(), job.path("name").asText(), job.path("state").asText(), job.path("start-time").asLong()));
        }
        jobs.sort((a, b) -> Long.compare(b.startTime(), a.startTime()));
        return jobs;
    }

    /** The external path and time of the job's latest completed checkpoint, if it has one. */
    Optional<Checkpoint> latestCheckpoint(String jobId) {
        JsonNode completed = get("jobs/" + jobId + "/checkpoints").path("latest").path("completed");
        if (completed.isMissingNode() || completed.isNull()) {
            return Optional.empty();
        }
        return Optional.of(new Checkpoint(completed.path("id").asLong(), completed.path("external_path").asText(null),
                completed.path("latest_ack_timestamp").asLong()));
    }

    /** A completed checkpoint. */
    record Checkpoint(long id, String externalPath, long at) {
    }

    /**
     * Uploads {@code jar} unless the cluster already holds an upload of the same bytes (its file name carries
     * their SHA-256), and returns the jar id.
     */
    String upload(Path jar) {
        byte[] bytes = read(jar);
        String name = "ballast-jobs-" + sha256(bytes).substring(0, 16) + ".jar";
        for (JsonNode file : get("jars").path("files")) {
            if (name.equals(file.path("name").asText())) {
                return file.path("id").asText();
            }
        }
        String boundary = "ballast-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream(bytes.length + 512);
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\"" + name
                + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(bytes);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(base.resolve("jars/upload")).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        JsonNode answer = send(request, "upload the job jar " + jar);
        String file = answer.path("filename").asText();
        if (file.isEmpty()) {
            throw new FlinkException("Flink at " + url() + " refused the job jar " + jar + ": " + answer);
        }
        return Path.of(file).getFileName().toString();
    }

    /** What to run from an uploaded jar. */
    record Run(String entryClass, List<String> args, Integer parallelism, String savepointPath, Map<String, String> configuration) {
    }

    /** Runs a job from an uploaded jar and returns its id; a main that fails is reported with its own message. */
    String run(String jarId, Run run) {
        ObjectNode body = JSON.createObjectNode();
        body.put("entryClass", run.entryClass());
        body.set("programArgsList", JSON.valueToTree(run.args()));
        if (run.parallelism() != null) {
            body.put("parallelism", run.parallelism());
        }
        if (run.savepointPath() != null) {
            body.put("savepointPath", run.savepointPath());
            body.put("allowNonRestoredState", false);
            body.put("claimMode", "NO_CLAIM");
        }
        if (!run.configuration().isEmpty()) {
            body.set("flinkConfiguration", JSON.valueToTree(run.configuration()));
        }
        JsonNode answer = send(post("jars/" + jarId + "/run", body), "run " + run.entryClass());
        return answer.path("jobid").asText();
    }

    /**
     * Waits until the job and every one of its vertices are RUNNING; a job that fails, is cancelled or does not
     * get there within {@code timeout} is reported with Flink's root cause.
     */
    void awaitRunning(String jobId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode job = get("jobs/" + jobId);
            String state = job.path("state").asText();
            if (List.of("FAILED", "FAILING", "CANCELED", "CANCELLING", "FINISHED", "SUSPENDED").contains(state)) {
                throw new FlinkException("the job " + jobId + " " + state.toLowerCase() + " while starting: " + rootCause(jobId));
            }
            boolean allRunning = "RUNNING".equals(state) && job.path("vertices").size() > 0;
            for (JsonNode vertex : job.path("vertices")) {
                allRunning &= "RUNNING".equals(vertex.path("status").asText());
            }
            if (allRunning) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new FlinkException("the job " + jobId + " was not running within " + timeout.toSeconds() + " s (state " + state
                        + "); see " + url() + "/#/job/running/" + jobId + (rootCause(jobId).isEmpty() ? "" : ": " + rootCause(jobId)));
            }
            pause(200);
        }
    }

    /**
     * Waits until a bounded job has FINISHED; one that fails or is cancelled, or is not done within {@code timeout}, is
     * reported with Flink's root cause.
     */
    void awaitFinished(String jobId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String state = get("jobs/" + jobId).path("state").asText();
            if ("FINISHED".equals(state)) {
                return;
            }
            if (List.of("FAILED", "CANCELED", "SUSPENDED").contains(state)) {
                throw new FlinkException("the job " + jobId + " " + state.toLowerCase() + ": " + rootCause(jobId));
            }
            if (System.nanoTime() > deadline) {
                throw new FlinkException("the job " + jobId + " was not done within " + timeout.toSeconds() + " s (state " + state
                        + "); see " + url() + "/#/job/running/" + jobId);
            }
            pause(200);
        }
    }

    /** Flink's root cause of the job's latest failure, one line, or empty. */
    String rootCause(String jobId) {
        JsonNode exceptions = get("jobs/" + jobId + "/exceptions");
        JsonNode entries = exceptions.path("exceptionHistory").path("entries");
        String trace = entries.size() > 0 ? entries.get(0).path("stacktrace").asText("") : exceptions.path("root-exception").asText("");
        return FlinkErrors.rootCause(trace);
    }

    /** Cancels the job; its retained checkpoints stay. */
    void cancel(String jobId) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("jobs/" + jobId + "?mode=cancel")).timeout(REQUEST_TIMEOUT)
                .method("PATCH", HttpRequest.BodyPublishers.noBody()).build();
        send(request, "cancel job " + jobId);
    }

    /** Triggers a savepoint (or a stop with one) and waits for it; returns its location. */
    String savepoint(String jobId, String directory, boolean stop, Duration timeout) {
        ObjectNode body = JSON.createObjectNode();
        String trigger;
        if (stop) {
            if (directory != null) {
                body.put("targetDirectory", directory);
            }
            body.put("drain", false);
            trigger = send(post("jobs/" + jobId + "/stop", body), "stop job " + jobId).path("request-id").asText();
        } else {
            if (directory != null) {
                body.put("target-directory", directory);
            }
            body.put("cancel-job", false);
            trigger = send(post("jobs/" + jobId + "/savepoints", body), "take a savepoint of job " + jobId).path("request-id").asText();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode status = get("jobs/" + jobId + "/savepoints/" + trigger);
            if ("COMPLETED".equals(status.path("status").path("id").asText())) {
                JsonNode operation = status.path("operation");
                if (operation.has("failure-cause")) {
                    throw new FlinkException("the savepoint of job " + jobId + " failed: "
                            + FlinkErrors.rootCause(operation.path("failure-cause").path("stack-trace").asText("")));
                }
                return operation.path("location").asText();
            }
            pause(200);
        }
        throw new FlinkException("the savepoint of job " + jobId + " did not complete within " + timeout.toSeconds() + " s");
    }

    private HttpRequest post(String path, JsonNode body) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
    }

    JsonNode get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT).GET().build(), "read " + path);
    }

    private JsonNode send(HttpRequest request, String what) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new FlinkException("Flink does not answer at " + url() + " (connection refused): is the cluster (or 'ballast up') running?"
                    + " Give its REST address with --flink URL");
        } catch (IOException e) {
            throw new FlinkException("could not " + what + ": Flink at " + url() + " did not answer (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlinkException("interrupted while trying to " + what);
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() == 404 && what.startsWith("read jobs/")) {
            throw new FlinkException("Flink at " + url() + " has no job " + request.uri().getPath().replaceAll(".*/jobs/([^/]+).*", "$1"));
        }
        if (response.statusCode() >= 400) {
            throw new FlinkException("could not " + what + ": " + FlinkErrors.describe(response.statusCode(), body));
        }
        return body;
    }

    private static JsonNode parse(String text) {
        try {
            return text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (IOException e) {
            return JSON.createObjectNode().put("raw", text);
        }
    }

    private static byte[] read(Path jar) {
        try {
            return Files.readAllBytes(jar);
        } catch (IOException e) {
            throw new FlinkException("the job jar " + jar + " cannot be read (" + e.getMessage() + "): build it with "
                    + "'mvn -DskipTests -pl flink-jobs/jobs -am package' or use ./ballast, which does");
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void pause(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis); // polling interval of a status probe, not synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlinkException("interrupted while waiting for Flink");
        }
    }

    /** Flink refused or failed something; the message says what and what to do. */
    static final class FlinkException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FlinkException(String message) {
            super(message);
        }
    }
}
