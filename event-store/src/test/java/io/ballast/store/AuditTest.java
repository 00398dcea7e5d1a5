package io.ballast.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ballast.audit.ProofDocuments;
import io.ballast.audit.SigningKey;
import io.ballast.audit.TreeHead;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signed tree heads, proof documents checked offline, and verify finding tampering and a flipped byte on disk. */
class AuditTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private static UUID id(int i) {
        return UUID.nameUUIDFromBytes(("event-" + i).getBytes(StandardCharsets.UTF_8));
    }

    private static void fill(EventStore store, int from, int to) {
        for (int i = from; i < to; i++) {
            store.append("s" + (i % 3), ExpectedVersion.ANY, List.of(NewEvent.of(id(i), "Action", T0.plusSeconds(i),
                    ("payload of event " + i).getBytes(StandardCharsets.UTF_8))));
        }
    }

    @Test
    void proofsVerifyOfflineAndTamperedOnesDoNot() {
        SigningKey key = SigningKey.loadOrCreate(dir.resolve("keys"));
        try (EventStore store = EventStore.open(dir.resolve("store"), StoreSettings.DEFAULTS)) {
            fill(store, 0, 7);
            TreeHead at7 = store.signTreeHead(key);
            fill(store, 7, 20);
            ObjectNode proof = StoreProofs.inclusion(store, key, id(5));
            assertEquals(5, proof.get("position").asLong());
            assertEquals(7, proof.get("treeHead").get("size").asLong(), "the latest head covering position 5");
            ProofDocuments.Check ok = ProofDocuments.verify(proof, key.publicKey());
            assertTrue(ok.valid(), ok.message());
            assertTrue(ok.message().startsWith("event " + id(5) + " is at position 5 of the log whose tree head of size 7"), ok.message());

            ObjectNode late = StoreProofs.inclusion(store, key, id(15));
            assertEquals(20, late.get("treeHead").get("size").asLong(), "a head signed on demand");
            assertTrue(ProofDocuments.verify(late, null).valid());

            ObjectNode wrongRoot = proof.deepCopy();
            ((ObjectNode) wrongRoot.get("treeHead")).put("root", "00".repeat(32));
            assertEquals("the tree head's signature does not verify with the given public key",
                    ProofDocuments.verify(wrongRoot, key.publicKey()).message());
            ObjectNode otherRecord = proof.deepCopy();
            otherRecord.put("record", java.util.Base64.getEncoder().encodeToString("forged".getBytes(StandardCharsets.UTF_8)));
            assertFalse(ProofDocuments.verify(otherRecord, key.publicKey()).valid());
            assertEquals("the proof has no 'treeHead'", ProofDocuments.verify(proof.deepCopy().without("treeHead"), null).message());
            SigningKey stranger = SigningKey.loadOrCreate(dir.resolve("other-keys"));
            assertFalse(ProofDocuments.verify(proof, stranger.publicKey()).valid());

            ObjectNode consistency = StoreProofs.consistency(store, key, 7, 20);
            ProofDocuments.Check grew = ProofDocuments.verify(consistency, key.publicKey());
            assertTrue(grew.valid(), grew.message());
            assertEquals(at7.root().length, 32);
            assertEquals(java.util.HexFormat.of().formatHex(at7.root()), consistency.get("fromRoot").asText());
            ObjectNode rewritten = consistency.deepCopy();
            rewritten.put("fromRoot", "11".repeat(32));
            assertFalse(ProofDocuments.verify(rewritten, key.publicKey()).valid());

            StoreAudit.Report report = StoreAudit.verify(store, key.publicKey());
            assertTrue(report.ok(), report.problems().toString());
            assertEquals(20, report.events());
            assertEquals(2, report.treeHeadsChecked());
        }
    }

    @Test
    void verifyNamesTheFirstTamperedPosition() throws Exception {
        SigningKey key = SigningKey.loadOrCreate(dir.resolve("keys"));
        try (EventStore store = EventStore.open(dir.resolve("store"), StoreSettings.DEFAULTS)) {
            fill(store, 0, 40);
            store.signTreeHead(key);
            // rewrite record 20 with a valid checksum but other content: only the Merkle log can tell, to the block of
            // 16 records its stored node covers (positions 16..31)
            forge(store, 20);
            // and flip a byte of record 4 on the way
            byte[] four = store.get("log", Keys.position(4));
            four[10] ^= 0x40;
            store.db().put(store.family("log"), Keys.position(4), four);
            StoreAudit.Report report = StoreAudit.verify(store, key.publicKey());
            assertEquals(4, report.firstBadPosition());
            // the tree head's root is made of the stored nodes over whole blocks: the blocks' check is what finds the forgery
            assertEquals(2, report.problems().size(), report.problems().toString());
            assertTrue(report.problems().get(0).startsWith("record at position 4 is corrupt: checksum"), report.problems().toString());
            assertEquals("positions 16..31: the records do not hash to the Merkle node stored over them", report.problems().get(1));
            // 40 records, 2 stored blocks of 16, 1 node of 32
            assertEquals(43, report.nodesChecked());
        }
    }

    @Test
    void aRecordForgedPastTheLastFullBlockIsFoundByTheTreeHead() throws Exception {
        SigningKey key = SigningKey.loadOrCreate(dir.resolve("keys"));
        try (EventStore store = EventStore.open(dir.resolve("store"), StoreSettings.DEFAULTS)) {
            fill(store, 0, 20);
            store.signTreeHead(key);
            forge(store, 18);
            StoreAudit.Report report = StoreAudit.verify(store, key.publicKey());
            assertEquals(1, report.problems().size(), report.problems().toString());
            assertTrue(report.problems().get(0).startsWith("tree head of size 20 signed at ")
                    && report.problems().get(0).endsWith("has a root the log no longer gives"), report.problems().toString());
        }
    }

    @Test
    void aReopenedStoreGrowsTheSameTreeAndDropsTheLowNodesAnEarlierVersionStored() throws Exception {
        Path storeDir = dir.resolve("store");
        try (EventStore store = EventStore.open(storeDir, StoreSettings.DEFAULTS)) {
            fill(store, 0, 21);
            // what an earlier version stored: a leaf and a level-3 node
            store.db().put(store.family("merkle"), Keys.merkle(0, 3), new byte[32]);
            store.db().put(store.family("merkle"), Keys.merkle(3, 1), new byte[32]);
        }
        try (EventStore store = EventStore.open(storeDir, StoreSettings.DEFAULTS)) {
            // the appends after a reopen combine with nodes recomputed from the records before it
            fill(store, 21, 40);
            List<byte[]> leaves = new java.util.ArrayList<>();
            for (long p = 0; p < 40; p++) {
                leaves.add(store.leafHash(p));
            }
            for (int n : new int[] {1, 15, 16, 17, 21, 32, 33, 40}) {
                assertEquals(java.util.HexFormat.of().formatHex(io.ballast.audit.MerkleHash.root(leaves.subList(0, n))),
                        java.util.HexFormat.of().formatHex(store.merkle().root(n)), "root of " + n);
            }
            assertEquals(null, store.get("merkle", Keys.merkle(0, 3)));
            assertEquals(null, store.get("merkle", Keys.merkle(3, 1)));
            assertTrue(store.get("merkle", Keys.merkle(4, 1)) != null, "the node over positions 16..31 is stored");
            assertTrue(StoreAudit.verify(store, null).ok());
        }
    }

    /** Rewrites a record with other data and a valid checksum: only the Merkle log can tell. */
    private static void forge(EventStore store, long position) throws Exception {
        StoredEvent original = store.read(position);
        StoredEvent forged = new StoredEvent(position, original.stream(), original.version(), original.eventId(), original.type(),
                original.occurredAt(), original.recordedAt(), "forged".getBytes(StandardCharsets.UTF_8), original.headers(), null);
        store.db().put(store.family("log"), Keys.position(position), RecordCodec.record(RecordCodec.body(forged)));
    }

    @Test
    void aByteFlippedInAFileOnDiskIsFound() throws Exception {
        Path storeDir = dir.resolve("store");
        try (EventStore store = EventStore.open(storeDir, StoreSettings.DEFAULTS)) {
            fill(store, 0, 200);
            store.compact();
        }
        Path sst;
        try (Stream<Path> files = Files.list(storeDir)) {
            // the largest table file holds the log
            sst = files.filter(p -> p.toString().endsWith(".sst")).max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length()))
                    .orElseThrow();
        }
        try (RandomAccessFile file = new RandomAccessFile(sst.toFile(), "rw")) {
            file.seek(100);
            int b = file.read();
            file.seek(100);
            file.write(b ^ 0x01);
        }
        try (EventStore store = EventStore.open(storeDir, StoreSettings.DEFAULTS)) {
            StoreAudit.Report report = StoreAudit.verify(store, null);
            assertFalse(report.ok(), "a flipped byte in " + sst.getFileName() + " went unnoticed");
            assertTrue(report.firstBadPosition() >= 0 && report.firstBadPosition() < 200, report.toString());
        }
    }
}
