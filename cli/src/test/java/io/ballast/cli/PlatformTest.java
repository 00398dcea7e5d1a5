package io.ballast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.ballast.catalog.Topics;
import io.ballast.catalog.ValueFormat;
import io.ballast.embedded.EmbeddedStartException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code ballast up} promises: a restart on the same data directory keeps topics, records and schema ids. */
class PlatformTest {

    @Test
    void aRestartKeepsTopicsRecordsAndSchemaIds(@TempDir Path dataDir) throws Exception {
        Map<String, Integer> idsBefore;
        try (Platform platform = Platform.start(dataDir, 0, 0, 0)) {
            assertEquals(Topics.all().size(), platform.topics().created().size());
            idsBefore = platform.schemaIds();
            assertEquals(Topics.all().stream().filter(t -> t.value() instanceof ValueFormat.Avro).count(), idsBefore.size(),
                    "one schema per Avro topic of the catalog");

            Path file = dataDir.resolve("actions.ndjson");
            Files.writeString(file, "{\"actor\": \"alice\", \"action\": \"deploy\", \"target\": \"checkout\"}\n");
            CliRun produced = CliRun.against(platform.bootstrapServers(), platform.registryUrl(),
                    "produce", "--topic", "ballast.actions", "--file", file.toString());
            assertEquals(0, produced.exitCode(), produced.err());

            EmbeddedStartException second = assertThrows(EmbeddedStartException.class, () -> Platform.start(dataDir, 0, 0, 0));
            assertTrue(second.getMessage().startsWith("another 'ballast up' is running with data in " + dataDir), second.getMessage());
        }
        Platform platform = Platform.start(dataDir, 0, 0, 0);
        try {
            assertEquals(List.of(), platform.topics().created());
            assertTrue(platform.topics().inSync(), () -> platform.topics().drift().toString());
            assertEquals(idsBefore, platform.schemaIds());

            CliRun consumed = CliRun.against(platform.bootstrapServers(), platform.registryUrl(),
                    "consume", "--topic", "ballast.actions", "--from-beginning", "--max", "1");
            assertEquals(1, consumed.outLines().size());
            assertTrue(consumed.outLines().get(0).contains("\"action\":\"deploy\""), consumed.out());
        } finally {
            platform.close();
        }
        // a registry stopped by close() is not a crashed one: the supervisor must not bring it back
        assertFalse(platform.superviseRegistry());
    }
}
