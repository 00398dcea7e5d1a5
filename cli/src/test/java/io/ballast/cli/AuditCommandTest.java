package io.ballast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ballast.audit.MerkleHash;
import io.ballast.audit.MerkleLog;
import io.ballast.audit.MerkleNodes;
import io.ballast.audit.NoteKey;
import io.ballast.audit.SigningKey;
import io.ballast.client.KafkaClients;
import io.ballast.client.ClientConfig;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import io.ballast.store.http.StoreApi;
import io.ballast.embedded.FreePort;
import io.ballast.store.EventStore;
import io.ballast.store.ExpectedVersion;
import io.ballast.store.NewEvent;
import io.ballast.store.StoreProofs;
import io.ballast.store.StoreSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ballast audit verify-proof} offline on real proofs from a real store and from another log (the Tessera log and the
 * RFC 6962 vectors in event-store's test resources, vectors/README.md), {@code audit checkpoint} from a served store, and
 * what the client commands say when the store is down.
 */
class AuditCommandTest {
    // the event store module's copies of other logs' data (surefire runs in this module's directory)
    private static final Path VECTORS = Path.of("..", "event-store", "src", "test", "resources", "vectors");
    private static final String TESSERA = "example.com/log/testdata+33d7b496+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx";
    private static final String PETER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";

    @TempDir
    Path dir;

    @Test
    void anotherLogsInclusionProofVerifiesAgainstItsSignedCheckpointAndNotAgainstAnotherKey() throws Exception {
        MerkleLog tessera = tesseraLog();
        Path leaf = Files.writeString(dir.resolve("three"), "three");
        String path = String.join(",", tessera.inclusionProof(2, 15).stream().map(h -> Base64.getEncoder().encodeToString(h)).toList());
        String checkpoint = VECTORS.resolve("tessera-log/checkpoint.15").toString();

        CliRun valid = CliRun.of("audit", "verify-proof", "--checkpoint", checkpoint, "--note-key", TESSERA, "--index", "2",
                "--leaf-file", leaf.toString(), "--path", path);
        assertEquals(0, valid.exitCode(), valid.err());
        assertEquals("valid: leaf " + Base64.getEncoder().encodeToString(MerkleHash.leaf("three".getBytes(StandardCharsets.UTF_8)))
                + " is at index 2 of the tree of the checkpoint of 'example.com/log/testdata' at size 15, signed by "
                + "example.com/log/testdata+33d7b496\n", valid.out());

        CliRun elsewhere = CliRun.of("audit", "verify-proof", "--checkpoint", checkpoint, "--note-key", TESSERA, "--index", "3",
                "--leaf-file", leaf.toString(), "--path", path);
        assertEquals(1, elsewhere.exitCode());
        assertTrue(elsewhere.err().startsWith("NOT valid: leaf "), elsewhere.err());

        CliRun otherKey = CliRun.of("audit", "verify-proof", "--checkpoint", checkpoint, "--note-key", PETER, "--index", "2",
                "--leaf-file", leaf.toString(), "--path", path);
        assertEquals(1, otherKey.exitCode());
        assertEquals("NOT valid: the checkpoint has no valid signature by PeterNeumann+c74f20a3 (signed by: "
                + "[example.com/log/testdata+33d7b496])\n", otherKey.err());
    }

    @Test
    void anotherLogsConsistencyProofVerifiesBetweenItsCheckpoints() throws Exception {
        MerkleLog tessera = tesseraLog();
        String oldRoot = Base64.getEncoder().encodeToString(tessera.root(3));
        String path = String.join(",", tessera.consistencyProof(3, 15).stream().map(h -> HexFormat.of().formatHex(h)).toList());

        CliRun valid = CliRun.of("audit", "verify-proof", "--checkpoint", VECTORS.resolve("tessera-log/checkpoint.15").toString(),
                "--note-key", TESSERA, "--old-size", "3", "--old-root", oldRoot, "--path", path);
        assertEquals(0, valid.exitCode(), valid.err());
        assertEquals("valid: the tree of 3 (root " + oldRoot + ") is a prefix of the tree of the checkpoint of 'example.com/log/testdata' "
                + "at size 15, signed by example.com/log/testdata+33d7b496: only appended to\n", valid.out());

        CliRun wrongOld = CliRun.of("audit", "verify-proof", "--checkpoint", VECTORS.resolve("tessera-log/checkpoint.15").toString(),
                "--note-key", TESSERA, "--old-size", "4", "--old-root", oldRoot, "--path", path);
        assertEquals(1, wrongOld.exitCode());
    }

    @Test
    void aProofInTheJsonFormOfTheRfc6962VectorsIsCheckedAgainstItsBareSizeAndRoot() {
        CliRun valid = CliRun.of("audit", "verify-proof", "--proof", VECTORS.resolve("rfc6962/inclusion/1/happy-path.json").toString());
        assertEquals(0, valid.exitCode(), valid.err());
        assertEquals("valid: leaf bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0= is at index 0 of the tree of the given size 8 and root "
                + "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg= (no signature checked)\n", valid.out());

        CliRun corrupted = CliRun.of("audit", "verify-proof", "--proof",
                VECTORS.resolve("rfc6962/inclusion/1/modified-proof[1]-bit-@3.json").toString());
        assertEquals(1, corrupted.exitCode());

        CliRun otherHead = CliRun.of("audit", "verify-proof", "--proof", VECTORS.resolve("rfc6962/inclusion/1/happy-path.json").toString(),
                "--size", "9", "--root", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=");
        assertEquals(1, otherHead.exitCode());
        assertEquals("NOT valid: the proof is for a tree of size 8 and root XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=, not the given "
                + "size 9 and root XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg= (no signature checked)\n", otherHead.err());
    }

    @Test
    void theStoresCheckpointAndKeyAreServedAndItsProofsVerifyAsAnyLogsWould() throws Exception {
        SigningKey key = SigningKey.loadOrCreate(dir.resolve("keys"));
        UUID id = UUID.randomUUID();
        try (EventStore store = EventStore.open(dir.resolve("store"), StoreSettings.DEFAULTS)) {
            for (int i = 0; i < 10; i++) {
                store.append("s", ExpectedVersion.ANY, List.of(NewEvent.of(i == 6 ? id : UUID.randomUUID(), "T", Instant.EPOCH,
                        ("e" + i).getBytes(StandardCharsets.UTF_8))));
            }
            StoreApi api = StoreApi.start(store, key, RegistryClient.connect(RegistryConfig.of("mock://audit-checkpoint")),
                    new KafkaClients(ClientConfig.defaults().with("bootstrap.servers", "127.0.0.1:1")), "127.0.0.1", 0);
            try {
                String url = "http://127.0.0.1:" + api.port();
                CliRun checkpoint = CliRun.of("audit", "checkpoint", "--store", url);
                CliRun noteKey = CliRun.of("audit", "checkpoint", "--key", "--store", url);
                assertEquals(0, checkpoint.exitCode(), checkpoint.err());
                assertEquals(0, noteKey.exitCode(), noteKey.err());
                String origin = "ballast.store/" + store.storeId();
                assertEquals(origin + "\n10\n" + Base64.getEncoder().encodeToString(store.merkle().root(10)) + "\n\n\u2014 " + origin + " ",
                        checkpoint.out().substring(0, checkpoint.out().lastIndexOf(' ') + 1));
                assertEquals(NoteKey.of(origin, key.publicKey()).verifierKey() + "\n", noteKey.out());

                ObjectNode proof = StoreProofs.inclusion(store, key, id);
                Path checkpointFile = Files.writeString(dir.resolve("checkpoint"), checkpoint.out());
                CliRun valid = CliRun.of("audit", "verify-proof", "--checkpoint", checkpointFile.toString(), "--note-key", noteKey.out().strip(),
                        "--index", "6", "--leaf-hash", proof.get("leafHash").asText(),
                        "--path", String.join(",", StreamSupport.stream(proof.get("path").spliterator(), false).map(JsonNode::asText).toList()));
                assertEquals(0, valid.exitCode(), valid.err());
                assertTrue(valid.out().startsWith("valid: leaf "), valid.out());
            } finally {
                api.close();
            }
        }
    }

    private static MerkleLog tesseraLog() throws Exception {
        Map<String, byte[]> nodes = new HashMap<>();
        MerkleLog log = new MerkleLog(new MerkleNodes() {
            @Override
            public byte[] get(int level, long index) {
                return nodes.get(level + "/" + index);
            }

            @Override
            public void put(int level, long index, byte[] hash) {
                nodes.put(level + "/" + index, hash);
            }
        }, 0);
        byte[] tile = Files.readAllBytes(VECTORS.resolve("tessera-log/tile-0-000.p-15"));
        for (int i = 0; i < tile.length; i += MerkleHash.SIZE) {
            log.append(Arrays.copyOfRange(tile, i, i + MerkleHash.SIZE));
        }
        return log;
    }

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
