package io.ballast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which checkpoint a restart restores from, and what it keeps. */
class FlinkCheckpointsTest {

    @Test
    void restoresFromTheNewestCompletedCheckpointAndKeepsOnlyItsRun(@TempDir Path checkpoints) throws Exception {
        Path older = completed(checkpoints, "run-a", "chk-7", 1_000);
        Path newer = completed(checkpoints, "run-b", "chk-3", 2_000);
        Files.createDirectories(checkpoints.resolve("run-b").resolve("chk-4"));
        completed(checkpoints, "run-c", "chk-1", 500);

        Optional<Path> latest = FlinkCheckpoints.latest(checkpoints);
        assertEquals(Optional.of(newer), latest, "chk-4 has no _metadata: not completed");

        FlinkCheckpoints.pruneRunsBefore(checkpoints, newer.getParent());
        try (Stream<Path> runs = Files.list(checkpoints)) {
            assertEquals(List.of("run-b"), runs.map(p -> p.getFileName().toString()).toList());
        }
        assertEquals(false, Files.exists(older));
    }

    private static Path completed(Path root, String run, String checkpoint, long modifiedMillis) throws Exception {
        Path dir = Files.createDirectories(root.resolve(run).resolve(checkpoint));
        Path metadata = Files.writeString(dir.resolve("_metadata"), "x");
        Files.setLastModifiedTime(metadata, FileTime.fromMillis(modifiedMillis));
        Files.createDirectories(root.resolve(run).resolve("shared"));
        return dir;
    }
}
