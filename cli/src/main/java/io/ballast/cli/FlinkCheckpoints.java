package io.ballast.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A job's retained checkpoints as Flink lays them out under its checkpoint directory ({@code <job-id>/chk-N/_metadata}
 * per run): which one a restart resumes from, and which earlier runs can go.
 */
final class FlinkCheckpoints {
    private FlinkCheckpoints() {
    }

    /** The most recent completed checkpoint of any earlier run. */
    static Optional<Path> latest(Path checkpoints) {
        if (!Files.isDirectory(checkpoints)) {
            return Optional.empty();
        }
        try (Stream<Path> runs = Files.list(checkpoints)) {
            return runs.filter(Files::isDirectory).flatMap(FlinkCheckpoints::completed).max(Comparator.comparing(FlinkCheckpoints::modified));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deletes the checkpoint directories of every run but {@code keep} (the one restored from): the latest
     * checkpoint supersedes them, and the new run (restored in NO_CLAIM mode) never refers to their files. So at
     * most two runs' checkpoints exist at a time.
     */
    static void pruneRunsBefore(Path checkpoints, Path keep) {
        if (!Files.isDirectory(checkpoints)) {
            return;
        }
        try (Stream<Path> runs = Files.list(checkpoints)) {
            for (Path run : runs.filter(Files::isDirectory).filter(r -> !r.equals(keep)).toList()) {
                deleteTree(run);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static Stream<Path> completed(Path run) {
        try (Stream<Path> entries = Files.list(run)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("chk-") && Files.exists(p.resolve("_metadata"))).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FileTime modified(Path checkpoint) {
        try {
            return Files.getLastModifiedTime(checkpoint.resolve("_metadata"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
