package io.ballast.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removes the temporary directories the embedded servers (shared test servers, the benchmarks' platform) leave behind. */
public final class TempDirs {
    private TempDirs() {
    }

    /**
     * Creates a temporary directory that is deleted when the JVM exits, normally, by {@code System.exit} or by Ctrl-C:
     * a benchmark run leaves gigabytes of broker logs and state in its directory.
     */
    public static Path createDeletedOnExit(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir), "delete-" + dir.getFileName()));
        return dir;
    }

    public static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // best effort: what is left stays in the system temp directory
        }
    }
}
