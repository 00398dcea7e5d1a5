package io.ballast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ballast.audit.SigningKey;
import io.ballast.embedded.FreePort;
import io.ballast.store.EventStore;
import io.ballast.store.ExpectedVersion;
import io.ballast.store.NewEvent;
import io.ballast.store.StoreProofs;
import io.ballast.store.StoreSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ballast audit verify-proof} offline on real proofs from a real store, and what the client commands say when the store is down. */
class AuditCommandTest {
    @TempDir
    Path dir;

    @Test
    void aProofFileIsCheckedOfflineAndBadOnesAreRefusedWithTheReason() throws Exception {
        SigningKey key = SigningKey.loadOrCreate(dir.resolve("keys"));
        UUID id = UUID.randomUUID();
        ObjectNode proof;
        try (EventStore store = EventStore.open(dir.resolve("store"), StoreSettings.DEFAULTS)) {
            for (int i = 0; i < 10; i++) {
                store.append("s", ExpectedVersion.ANY, List.of(NewEvent.of(i == 6 ? id : UUID.randomUUID(), "T", Instant.EPOCH,
                        ("e" + i).getBytes(StandardCharsets.UTF_8))));
            }
            proof = StoreProofs.inclusion(store, key, id);
        }
        Path good = Files.writeString(dir.resolve("proof.json"), proof.toString());
        CliRun valid = CliRun.of("audit", "verify-proof", "--proof", good.toString(), "--public-key",
                dir.resolve("keys").resolve("ed25519.pub").toString());
        assertEquals(0, valid.exitCode(), valid.err());
        assertTrue(valid.out().startsWith("valid: event " + id + " is at position 6 of the log whose tree head of size 10"), valid.out());

        ((ObjectNode) proof.get("treeHead")).put("root", "00".repeat(32));
        Path tampered = Files.writeString(dir.resolve("tampered.json"), proof.toString());
        CliRun invalid = CliRun.of("audit", "verify-proof", "--proof", tampered.toString());
        assertEquals(1, invalid.exitCode());
        assertEquals("NOT valid: the tree head's signature does not verify (with the key it carries)\n", invalid.err());

        Path notJson = Files.writeString(dir.resolve("notjson.json"), "{\"kind\": ");
        CliRun unreadable = CliRun.of("audit", "verify-proof", "--proof", notJson.toString());
        assertEquals(2, unreadable.exitCode());
        assertTrue(unreadable.err().startsWith(notJson + " is not JSON: "), unreadable.err());
    }

    @Test
    void theClientCommandsSayWhereTheStoreShouldBe() {
        String url = "http://127.0.0.1:" + FreePort.find();
        CliRun verify = CliRun.of("audit", "verify", "--store", url);
        assertEquals(2, verify.exitCode());
        assertEquals("the event store does not answer at " + url + ": is './ballast up' (or 'ballast store serve') running? "
                + "(or set --store / BALLAST_STORE_URL)\n", verify.err());
        CliRun nowhere = CliRun.of("replay", "--store", url);
        assertEquals(2, nowhere.exitCode());
        assertEquals("say where to: --to-topic NAME (re-publish) or --verify CLASS (re-run a decision class)\n", nowhere.err());
    }
}
