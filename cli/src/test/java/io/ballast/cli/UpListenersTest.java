package io.ballast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.ballast.embedded.FreePort;
import io.ballast.embedded.junit.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ballast up} as a user runs it, in a process of its own: once it says it is up, every TCP socket that it
 * and its children (the registry, Flink, the Streams apps) listen on is bound to the loopback interface, and
 * among them are the ports it was given (read from Linux's {@code /proc}; skipped where there is none); stopped with
 * SIGTERM, it cancels its jobs before it stops Flink.
 */
class UpListenersTest {

    @Test
    void everySocketOfUpAndItsChildrenListensOnLoopbackOnly(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) throws Exception {
        assumeTrue(ListeningSockets.supported(), "no /proc/<pid>/net/tcp here: the sockets cannot be listed");
        Map<String, Integer> ports = new TreeMap<>();
        for (String name : List.of("kafka", "controller", "registry", "store", "views", "connect", "flink")) {
            ports.put(name, FreePort.find());
        }
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx1g", "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")), Ballast.class.getName(), "up",
                "--data-dir", dir.resolve("data").toString(), "--redis", "redis://127.0.0.1:" + FreePort.find()));
        ports.forEach((name, port) -> command.addAll(List.of("--" + name + "-port", Integer.toString(port))));
        Path out = dir.resolve("up.out");
        Process up = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            Await.until("'Ballast is up.' in " + out, Duration.ofSeconds(300), () -> {
                assertTrue(up.isAlive(), () -> "up exited with " + up.exitValue() + ": " + read(out));
                return read(out).contains("Ballast is up.");
            });
            Map<String, List<InetSocketAddress>> listening = new TreeMap<>();
            for (ProcessHandle process : Stream.concat(Stream.of(up.toHandle()), up.descendants()).toList()) {
                listening.put(process.pid() + " " + process.info().command().map(c -> new File(c).getName()).orElse("?"),
                        ListeningSockets.of(process.pid()));
            }
            Set<String> notLoopback = new TreeSet<>();
            Set<Integer> listened = new TreeSet<>();
            listening.forEach((process, sockets) -> sockets.forEach(socket -> {
                listened.add(socket.getPort());
                if (!socket.getAddress().isLoopbackAddress()) {
                    notLoopback.add(process + " on " + socket);
                }
            }));
            System.out.println("up listens on: " + listening);
            assertEquals(Set.of(), notLoopback, listening::toString);
            assertTrue(listened.containsAll(ports.values()), () -> "given " + ports + ", listening " + listening);
            // stopped as a service manager stops it: the jobs are cancelled while Flink still answers (the children's
            // own exit hooks used to stop Flink at the same time, and now and then the cancels found it gone)
            up.destroy();
            assertTrue(up.waitFor(90, TimeUnit.SECONDS), "up still running 90 s after SIGTERM");
            assertFalse(read(out).contains("could not cancel"), () -> read(out));
        } finally {
            List<ProcessHandle> children = up.descendants().toList();
            up.destroy();
            if (!up.waitFor(90, TimeUnit.SECONDS)) {
                up.destroyForcibly();
            }
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
