package io.ballast.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * Ballast's checkpoints, notes and proofs against other logs' published data (src/test/resources/vectors/README.md):
 * Go's signed-note vectors (golang.org/x/mod/sumdb/note, note_test.go), a 15-entry log written by Tessera with its
 * signed checkpoint at every size, and the RFC 6962 proof vectors of transparency-dev/merkle with their corruptions.
 */
class CheckpointVectorsTest {
    // golang.org/x/mod/sumdb/note/note_test.go (BSD licence): TestNewVerifier, TestSign
    private static final String PETER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private static final String PETER_PRIVATE = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    private static final String PETER_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    private static final String PETER_NOTE = PETER_TEXT + "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZ"
            + "SNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
    // transparency-dev/tessera testdata/build_log.sh
    private static final String TESSERA = "example.com/log/testdata+33d7b496+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx";
    private static final List<String> TESSERA_ENTRIES = List.of("one", "two", "three", "four", "five", "six", "seven", "eit", "nain",
            "ten", "ileven", "twelf", "threeten", "fourten", "fivten");

    @Test
    void aGoVerifierKeyReadsAndWritesBackTheSame() {
        NoteKey key = NoteKey.parse(PETER);
        assertEquals("PeterNeumann", key.name());
        assertEquals(0xc74f20a3, key.keyHash());
        assertEquals(PETER, key.verifierKey());
    }

    @Test
    void aMangledVerifierKeyIsRefusedSayingWhy() {
        assertThrows(IllegalArgumentException.class, () -> NoteKey.parse("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"));
        assertThrows(IllegalArgumentException.class, () -> NoteKey.parse("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"));
        assertThrows(IllegalArgumentException.class, () -> NoteKey.parse("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="));
        assertThrows(IllegalArgumentException.class, () -> NoteKey.parse("PeterNeumann+c74f20a3"));
        assertThrows(IllegalArgumentException.class, () -> NoteKey.parse("Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"));
    }

    @Test
    void aNoteSignedWithGosKeyIsByteForByteGosNote() throws Exception {
        byte[] seed = Arrays.copyOfRange(Base64.getDecoder().decode(PETER_PRIVATE.split("\\+", 5)[4]), 1, 33);
        Signature ed = Signature.getInstance("Ed25519");
        ed.initSign(KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(
                HexFormat.of().parseHex("302e020100300506032b657004220420" + HexFormat.of().formatHex(seed)))));
        ed.update(PETER_TEXT.getBytes(StandardCharsets.UTF_8));
        NoteKey key = NoteKey.parse(PETER);
        SignedNote note = new SignedNote(PETER_TEXT, List.of(new SignedNote.Signature(key.name(), key.keyHash(), ed.sign())));

        assertEquals(PETER_NOTE, note.format());
        assertTrue(SignedNote.parse(PETER_NOTE).verifiedBy(key));
    }

    @Test
    void aNoteIsNotVerifiedWhenItsTextOrItsKeyIsAnother() {
        NoteKey peter = NoteKey.parse(PETER);
        assertFalse(SignedNote.parse(PETER_NOTE.replace("answer", "Answer")).verifiedBy(peter));
        assertFalse(SignedNote.parse(PETER_NOTE).verifiedBy(NoteKey.parse(TESSERA)));
        assertThrows(IllegalArgumentException.class, () -> SignedNote.parse(PETER_TEXT));
        assertThrows(IllegalArgumentException.class, () -> SignedNote.parse(PETER_NOTE.replace("\u2014 ", "-- ")));
    }

    @Test
    void everyCheckpointTesseraSignedVerifiesAndReadsAsItsSize() {
        NoteKey key = NoteKey.parse(TESSERA);
        for (int size = 0; size <= 15; size++) {
            String note = read("tessera-log/checkpoint." + size);
            SignedNote signed = SignedNote.parse(note);
            Checkpoint checkpoint = Checkpoint.parse(signed.text());

            assertTrue(signed.verifiedBy(key), "checkpoint." + size);
            assertEquals("example.com/log/testdata", checkpoint.origin());
            assertEquals(size, checkpoint.size());
            assertEquals(note, signed.format(), "written back byte for byte");
            assertEquals(signed.text(), checkpoint.text());
        }
    }

    @Test
    void tesserasEntriesHashToItsTileAndOurRootsAreItsCheckpointsRoots() {
        List<byte[]> tile = tesseraLeafHashes();
        List<byte[]> entries = tesseraEntries();
        assertEquals(15, tile.size());
        MerkleLog log = new MerkleLog(new MerkleLogTest.MapNodes(), 0);
        for (int i = 0; i < 15; i++) {
            assertEquals(TESSERA_ENTRIES.get(i), new String(entries.get(i), StandardCharsets.UTF_8));
            assertArrayEquals(tile.get(i), MerkleHash.leaf(entries.get(i)), "entry " + i);
            log.append(tile.get(i));
        }
        for (int size = 0; size <= 15; size++) {
            assertArrayEquals(checkpoint(size).root(), log.root(size), "root of size " + size);
        }
    }

    @Test
    void ourProofsOverTesserasLogVerifyAgainstItsSignedCheckpoints() {
        MerkleLog log = new MerkleLog(new MerkleLogTest.MapNodes(), 0);
        tesseraLeafHashes().forEach(log::append);
        NoteKey key = NoteKey.parse(TESSERA);
        int checked = 0;
        for (int size = 1; size <= 15; size++) {
            LogProofs.Head head = LogProofs.Head.signed(read("tessera-log/checkpoint." + size), key);
            for (int index = 0; index < size; index++) {
                byte[] leaf = MerkleHash.leaf(TESSERA_ENTRIES.get(index).getBytes(StandardCharsets.UTF_8));
                assertTrue(LogProofs.inclusion(leaf, index, log.inclusionProof(index, size), head).valid(), index + " in " + size);
                assertFalse(LogProofs.inclusion(leaf, (index + 1) % size == index ? index + 1 : (index + 1) % size,
                        log.inclusionProof(index, size), head).valid(), "the same leaf at another index");
                checked++;
            }
            for (int old = 1; old <= size; old++) {
                assertTrue(LogProofs.consistency(old, checkpoint(old).root(), log.consistencyProof(old, size), head).valid(),
                        old + " to " + size);
                checked++;
            }
        }
        assertEquals(240, checked);
    }

    @Test
    void aCheckpointIsRefusedByAnotherLogsKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LogProofs.Head.signed(read("tessera-log/checkpoint.15"), NoteKey.parse(PETER)));
        assertTrue(e.getMessage().contains("no valid signature by PeterNeumann+c74f20a3"), e.getMessage());
    }

    @Test
    void everyRfc6962VectorOfTransparencyDevIsAcceptedOrRefusedAsItSays() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> wrong = new ArrayList<>();
        int accepted = 0;
        int refused = 0;
        try (Stream<Path> files = Files.walk(vectors().resolve("rfc6962"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode doc = json.readTree(file.toFile());
                assertTrue(ProofDocuments.isLogProof(doc), file.toString());
                boolean valid = ProofDocuments.verifyLogProof(doc, null).valid();
                if (valid == doc.get("wantErr").asBoolean()) {
                    wrong.add(vectors().relativize(file) + " (" + doc.get("desc").asText() + ")");
                }
                if (valid) {
                    accepted++;
                } else {
                    refused++;
                }
            }
        }
        // the one deliberate difference: Go accepts two equal "roots" that are not hashes when the sizes are equal and
        // nothing is hashed; Ballast refuses a root that is not a SHA-256 hash wherever it is given
        assertEquals(List.of("rfc6962/consistency/additional/sizes-are-equal-one-and-proof-is-empty.json "
                + "(sizes are equal (one) and proof is empty)"), wrong);
        assertEquals(11, accepted);
        assertEquals(185, refused);
    }

    private static Checkpoint checkpoint(int size) {
        return Checkpoint.parse(SignedNote.parse(read("tessera-log/checkpoint." + size)).text());
    }

    private static List<byte[]> tesseraLeafHashes() {
        byte[] tile = bytes("tessera-log/tile-0-000.p-15");
        List<byte[]> hashes = new ArrayList<>();
        for (int i = 0; i < tile.length; i += MerkleHash.SIZE) {
            hashes.add(Arrays.copyOfRange(tile, i, i + MerkleHash.SIZE));
        }
        return hashes;
    }

    private static List<byte[]> tesseraEntries() {
        ByteBuffer bundle = ByteBuffer.wrap(bytes("tessera-log/entries-000.p-15"));
        List<byte[]> entries = new ArrayList<>();
        while (bundle.hasRemaining()) {
            byte[] entry = new byte[Short.toUnsignedInt(bundle.getShort())];
            bundle.get(entry);
            entries.add(entry);
        }
        return entries;
    }

    private static String read(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(vectors().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path vectors() {
        try {
            return Path.of(CheckpointVectorsTest.class.getResource("/vectors/README.md").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
