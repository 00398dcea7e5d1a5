package io.ballast.embedded;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A KRaft broker in a JVM of its own, for fault tests that kill it with SIGKILL and start it again on the same
 * ports and data. Started from this JVM's class path; ready once the child prints {@code READY}.
 */
public final class BrokerProcess implements AutoCloseable {
    private static final String READY = "READY";
    private final Process process;

    private BrokerProcess(Process process) {
        this.process = process;
    }

    /** Starts the broker on 127.0.0.1:{@code port} with its data in {@code dataDir} and waits until it is ready. */
    public static BrokerProcess start(Path dataDir, int port, int controllerPort) throws IOException {
        // its temporary files (the native compression libraries it extracts) beside its data: a killed JVM cannot delete them
        Path tmp = Files.createDirectories(dataDir.resolve("tmp"));
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"), BrokerProcess.class.getName(), dataDir.toString(),
                Integer.toString(port), Integer.toString(controllerPort)).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.equals(READY)) {
            // the broker's own log, until it is ready
        }
        if (line == null) {
            throw new EmbeddedStartException("the broker process exited with " + waitFor(process) + " before it was ready");
        }
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // keep its pipe from filling
                }
            } catch (IOException killed) {
                // it was killed
            }
        }, "broker-process-output");
        drain.setDaemon(true);
        drain.start();
        return new BrokerProcess(process);
    }

    /** SIGKILL: no shutdown, no flush; returns once the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the broker process did not die within 30 s of SIGKILL");
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    private static int waitFor(Process process) {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public static void main(String[] args) throws Exception {
        EmbeddedKafka.start(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        System.out.println(READY);
        System.out.flush();
        Thread.currentThread().join();
    }
}
