package io.ballast.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.flink.configuration.ClusterOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where `up`'s Flink JVM keeps its working files, and what it clears at start. */
class EmbeddedFlinkTest {
    @TempDir
    Path dataDir;

    @Test
    void theMiniClustersWorkingDirectoryIsUnderTheDataDirectoryNotTmp() throws Exception {
        String base = EmbeddedFlink.configuration(dataDir, 8082).get(ClusterOptions.PROCESS_WORKING_DIR_BASE);
        assertEquals(dataDir.resolve(EmbeddedFlink.WORK).toString(), base);
        assertTrue(Files.isDirectory(Path.of(base)));
    }

    @Test
    void aWorkingDirectoryLeftByAKilledFlinkJvmIsDeletedAtStartAndNothingElse() throws Exception {
        Path work = Files.createDirectories(dataDir.resolve(EmbeddedFlink.WORK));
        Path stale = Files.createDirectories(work.resolve("minicluster_0123abcd").resolve("blobStorage"));
        Files.writeString(stale.resolve("blob_p-1"), "jar bytes");
        Path other = Files.createDirectories(work.resolve("kept"));
        EmbeddedFlink.deleteStaleWorkingDirectories(dataDir);
        assertFalse(Files.exists(work.resolve("minicluster_0123abcd")));
        assertTrue(Files.isDirectory(other));
        EmbeddedFlink.deleteStaleWorkingDirectories(dataDir.resolve("never-started")); // no work directory yet: nothing to do
    }
}
