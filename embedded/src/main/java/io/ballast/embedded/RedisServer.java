package io.ballast.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@code redis-server} (Debian's package) on a free loopback port, with its data in a temporary
 * directory and no persistence, for tests and benchmarks. {@code .ci/run} installs the package.
 */
public final class RedisServer implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dir;

    private RedisServer(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** Starts a server with the given eviction policy and memory limit ({@code 0}: none). */
    public static RedisServer start(String maxmemoryPolicy, long maxmemoryBytes) throws IOException {
        return start(maxmemoryPolicy, maxmemoryBytes, FreePort.find());
    }

    /** A cache server ({@link #start()}) on a given port: to bring one back where its clients expect it. */
    public static RedisServer startOn(int port) throws IOException {
        return start("volatile-lru", 0, port);
    }

    private static RedisServer start(String maxmemoryPolicy, long maxmemoryBytes, int port) throws IOException {
        String binary = findBinary();
        Path dir = Files.createTempDirectory("ballast-redis");
        List<String> command = new ArrayList<>(List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no",
                "--maxmemory-policy", maxmemoryPolicy, "--maxmemory", Long.toString(maxmemoryBytes)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        RedisServer server = new RedisServer(process, port, dir);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!server.answersPing()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String log = Files.exists(dir.resolve("redis.log")) ? Files.readString(dir.resolve("redis.log")) : "";
                server.close();
                throw new IOException("redis-server did not start on port " + port + ": " + log);
            }
            Thread.onSpinWait();
        }
        return server;
    }

    /** A server as a cache is run: no memory limit, volatile keys evictable only. */
    public static RedisServer start() throws IOException {
        return start("volatile-lru", 0);
    }

    private static String findBinary() throws IOException {
        for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IOException("redis-server is not installed: apt-get install redis-server (.ci/run does it)");
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:PORT}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Whether the server answers PING now. */
    public boolean answersPing() {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            return "+PONG\r\n".equals(new String(reply, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }
}
