package io.ballast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.ballast.catalog.TopicInitializer;
import io.ballast.catalog.Topics;
import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.junit.WithKafka;
import io.ballast.embedded.junit.WithRegistry;
import io.ballast.store.EventStore;
import io.ballast.store.StoreSettings;
import io.ballast.store.StoredEvent;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ballast store rebuild --from-kafka}: a lost store comes back from the topics, each event once. */
@WithKafka
@WithRegistry
class StoreRebuildTest {
    @Test
    void aLostStoreIsRebuiltFromTheTopics(EmbeddedKafka kafka, ApicurioRegistry registry, @TempDir Path dir) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicInitializer(admin, (short) 1).ensure(Topics.all());
        }
        String target = "rebuild-" + UUID.randomUUID();
        Path actions = Files.writeString(dir.resolve("actions.ndjson"), String.join("\n",
                "{\"actor\": \"ops\", \"action\": \"deploy\", \"target\": \"" + target + "\"}",
                "{\"actor\": \"ops\", \"action\": \"scale\", \"target\": \"" + target + "\"}",
                "{\"actor\": \"ops\", \"action\": \"restart\", \"target\": \"" + target + "\"}") + "\n");
        CliRun produced = CliRun.against(kafka.bootstrapServers(), registry.url(), "produce", "--topic", "ballast.actions", "--file",
                actions.toString());
        assertEquals(0, produced.exitCode(), produced.err());

        CliRun rebuild = CliRun.against(kafka.bootstrapServers(), registry.url(), "store", "rebuild", "--from-kafka", "--data-dir",
                dir.resolve("data").toString());
        assertEquals(0, rebuild.exitCode(), rebuild.err());
        assertTrue(rebuild.out().startsWith("rebuilt "), rebuild.out());
        try (EventStore store = EventStore.open(dir.resolve("data").resolve("store"), StoreSettings.DEFAULTS)) {
            List<StoredEvent> stream = store.readStream("ballast.actions/" + target, 0, true, 10);
            assertEquals(List.of("Action", "Action", "Action"), stream.stream().map(StoredEvent::type).toList());
            Set<UUID> ids = new HashSet<>();
            store.readAll(0, Integer.MAX_VALUE).forEach(e -> assertTrue(ids.add(e.eventId()), "twice: " + e.eventId()));
        }
        CliRun again = CliRun.against(kafka.bootstrapServers(), registry.url(), "store", "rebuild", "--from-kafka", "--data-dir",
                dir.resolve("data").toString());
        assertEquals(2, again.exitCode());
        assertEquals(dir.resolve("data").resolve("store") + " exists: rebuild writes a new store; move the old one away first\n", again.err());
    }
}
