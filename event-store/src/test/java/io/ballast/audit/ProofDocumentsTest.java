package io.ballast.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Proof documents: what they sign, and a document whose parts disagree with each other refused, saying which. */
class ProofDocumentsTest {
    @TempDir
    Path dir;
    private SigningKey key;
    private MerkleLog log;
    private TreeHead head;

    @BeforeEach
    void aSignedLogOfTenRecords() {
        key = SigningKey.loadOrCreate(dir);
        log = new MerkleLog(new MerkleLogTest.MapNodes(), 0);
        for (int i = 0; i < 10; i++) {
            log.append(MerkleHash.leaf(record(i)));
        }
        head = TreeHead.sign(key, "store-1", 10, log.root(10), Instant.parse("2026-12-05T00:00:00Z"));
    }

    @Test
    void aTreeHeadIsAlsoACheckpointOfItsStoreSignedByTheSameKey() {
        NoteKey noteKey = NoteKey.of("ballast.store/store-1", key.publicKey());
        LogProofs.Head signed = LogProofs.Head.signed(head.checkpoint(), noteKey);

        assertEquals(10, signed.size());
        assertArrayEquals(log.root(10), signed.root());
        assertEquals("ballast.store/store-1\n10\n" + java.util.Base64.getEncoder().encodeToString(log.root(10)) + "\n",
                SignedNote.parse(head.checkpoint()).text());
        assertTrue(head.checkpointValid(key.publicKey()));
        assertTrue(ProofDocuments.verify(inclusion(), key.publicKey()).valid());
    }

    @Test
    void anInclusionProofWhoseLeafHashIsNotItsRecordsIsRefused() {
        ObjectNode doc = inclusion().put("leafHash", "00".repeat(32));

        ProofDocuments.Check check = ProofDocuments.verify(doc, key.publicKey());

        assertEquals(new ProofDocuments.Check(false, "the proof's leafHash " + "00".repeat(32) + " is not the hash of its record ("
                + java.util.HexFormat.of().formatHex(MerkleHash.leaf(record(6))) + "): the document was altered"), check);
    }

    @Test
    void aConsistencyProofWhoseToOrToRootIsNotItsHeadsIsRefused() {
        assertTrue(ProofDocuments.verify(consistency(), key.publicKey()).valid());

        ProofDocuments.Check to = ProofDocuments.verify(consistency().put("to", 9), key.publicKey());
        ProofDocuments.Check toRoot = ProofDocuments.verify(consistency().put("toRoot", "11".repeat(32)), key.publicKey());

        assertEquals(false, to.valid());
        assertTrue(to.message().endsWith("are not its signed tree head's (10, " + java.util.HexFormat.of().formatHex(log.root(10))
                + "): the document was altered"), to.message());
        assertEquals(false, toRoot.valid());
    }

    @Test
    void aTreeHeadWhoseCheckpointIsAnotherHeadsIsRefused() {
        TreeHead other = TreeHead.sign(key, "store-1", 9, log.root(9), Instant.parse("2026-12-05T00:00:00Z"));
        ObjectNode doc = inclusion();
        ((ObjectNode) doc.get("treeHead")).put("checkpoint", other.checkpoint());

        ProofDocuments.Check check = ProofDocuments.verify(doc, key.publicKey());

        assertEquals(false, check.valid());
        assertTrue(check.message().startsWith("the tree head's checkpoint is not this head (origin ballast.store/store-1, size 10"),
                check.message());
    }

    private ObjectNode inclusion() {
        return ProofDocuments.inclusion("e6", 6, record(6), log.inclusionProof(6, 10), head);
    }

    private ObjectNode consistency() {
        return ProofDocuments.consistency(4, log.root(4), log.consistencyProof(4, 10), head);
    }

    private static byte[] record(int i) {
        return ("record " + i).getBytes(StandardCharsets.UTF_8);
    }
}
