package io.ballast.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apicurio Registry, run as a child process bound to loopback, serving the Confluent
 * Schema Registry API at {@link #url()}.
 *
 * <p>With a storage directory it keeps its schemas in an H2 file there, so ids, versions and the
 * compatibility setting survive a restart; without one it keeps them in memory. At start the global
 * compatibility is set to BACKWARD (Apicurio starts at NONE).
 */
public final class ApicurioRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApicurioRegistry.class);
    /** The path of the Confluent-compatible API under the registry's root. */
    public static final String CONFLUENT_API = "/apis/ccompat/v7";

    private final Process process;
    private final int port;
    private final Path logFile;

    private ApicurioRegistry(Process process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
    }

    /**
     * Starts the registry and waits until its Confluent API answers.
     *
     * @param workDir where its log (and, if {@code persistent}, its database) is kept
     * @param port the HTTP port on 127.0.0.1, or 0 for a free one
     * @param persistent keep schemas in an H2 file under {@code workDir}, else in memory
     */
    public static ApicurioRegistry start(Path workDir, int port, boolean persistent) {
        try {
            Files.createDirectories(workDir);
            int httpPort = port == 0 ? FreePort.find() : port;
            if (!FreePort.isFree(httpPort)) {
                // else the readiness probe would take whatever answers there for the registry just started
                throw new EmbeddedStartException("port " + httpPort + " on 127.0.0.1 is in use (another 'ballast up'?);"
                        + " stop it or choose another registry port");
            }
            Path logFile = workDir.resolve("registry.log");
            List<String> command = command(workDir, httpPort, persistent);
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .start();
            ApicurioRegistry registry = new ApicurioRegistry(process, httpPort, logFile);
            // a child process outlives its parent unless told otherwise; this covers exit and SIGTERM, not kill -9
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "apicurio-registry-stop"));
            try {
                registry.awaitReady(Duration.ofSeconds(90));
                registry.setGlobalCompatibility("BACKWARD");
            } catch (RuntimeException | InterruptedException e) {
                registry.close();
                throw e;
            }
            LOG.info("Schema registry (Apicurio {}) listening on {}", distributionVersion(), registry.url());
            return registry;
        } catch (IOException e) {
            throw new EmbeddedStartException("the schema registry could not start in " + workDir + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedStartException("interrupted while the schema registry started", e);
        }
    }

    /** The Confluent-compatible base URL, as given to a Confluent client's {@code schema.registry.url}. */
    public String url() {
        return "http://127.0.0.1:" + port + CONFLUENT_API;
    }

    /** The registry's log file. */
    public Path logFile() {
        return logFile;
    }

    /** Whether the child process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static List<String> command(Path workDir, int httpPort, boolean persistent) {
        List<String> command = new ArrayList<>(List.of(
                JavaRuntime.atLeast(21).resolve("bin/java").toString(),
                "-Xmx384m",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + httpPort,
                // 3.3 opens a management port on 0.0.0.0:9000 unless told otherwise. Given the HTTP port, Vert.x would
                // share one socket between the two servers and answer every few Confluent API requests with the
                // management router's HTML 404 (seen in CI: "could not register a schema ... Resource not found")
                "-Dquarkus.management.host=127.0.0.1",
                "-Dquarkus.management.port=" + FreePort.findOtherThan(httpPort),
                "-Dquarkus.log.level=WARN"));
        if (persistent) {
            command.addAll(List.of(
                    "-Dapicurio.storage.kind=sql",
                    "-Dapicurio.storage.sql.kind=h2",
                    "-Dapicurio.datasource.url=jdbc:h2:file:" + workDir.toAbsolutePath().resolve("registry"),
                    "-Dapicurio.datasource.username=sa",
                    "-Dapicurio.datasource.password=sa"));
        }
        command.addAll(List.of("-jar", distribution().resolve("quarkus-run.jar").toString()));
        return command;
    }

    /** The unpacked distribution the build fetched (see the embedded module's pom). */
    static Path distribution() {
        Path home = Path.of(buildProperties().getProperty("apicurio.home"));
        if (!Files.isRegularFile(home.resolve("quarkus-run.jar"))) {
            throw new EmbeddedStartException("the Apicurio Registry distribution is missing at " + home
                    + ": build the project first (mvn -pl embedded -am package, or ./ballast, which builds on first use)");
        }
        return home;
    }

    static String distributionVersion() {
        return buildProperties().getProperty("apicurio.version");
    }

    private static Properties buildProperties() {
        try (InputStream in = ApicurioRegistry.class.getResourceAsStream("/ballast-embedded.properties")) {
            Properties props = new Properties();
            props.load(in);
            return props;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url() + "/subjects")).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new EmbeddedStartException("the schema registry exited with code " + process.exitValue()
                        + " before it was ready; see " + logFile);
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(200); // readiness probe interval
        }
        throw new EmbeddedStartException("the schema registry did not answer on " + url() + " within " + timeout + "; see " + logFile);
    }

    private void setGlobalCompatibility(String level) throws InterruptedException {
        HttpRequest put = HttpRequest.newBuilder(URI.create(url() + "/config"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"" + level + "\"}"))
                .timeout(Duration.ofSeconds(10))
                .build();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(put, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new EmbeddedStartException("setting the registry's compatibility to " + level + " answered "
                        + response.statusCode() + ": " + response.body());
            }
        } catch (IOException e) {
            throw new EmbeddedStartException("setting the registry's compatibility failed on " + url(), e);
        }
    }
}
