package io.ballast.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Proofs as self-contained JSON documents that {@code ballast audit verify-proof} checks offline: the
 * proof path, the signed tree head it leads to (with the key that signed it), and for an inclusion proof
 * the record itself, so the event's content is part of what is checked.
 */
public final class ProofDocuments {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    /** The outcome of checking a proof document. */
    public record Check(boolean valid, String message) {
    }

    private ProofDocuments() {
    }

    public static ObjectNode inclusion(String eventId, long position, byte[] recordBody, List<byte[]> path, TreeHead head) {
        ObjectNode doc = JSON.createObjectNode().put("kind", "inclusion").put("eventId", eventId).put("position", position)
                .put("record", Base64.getEncoder().encodeToString(recordBody))
                .put("leafHash", HEX.formatHex(MerkleHash.leaf(recordBody)));
        doc.set("path", hexes(path));
        doc.set("treeHead", treeHead(head));
        return doc;
    }

    public static ObjectNode consistency(long from, byte[] fromRoot, List<byte[]> path, TreeHead head) {
        ObjectNode doc = JSON.createObjectNode().put("kind", "consistency").put("from", from).put("fromRoot", HEX.formatHex(fromRoot))
                .put("to", head.size()).put("toRoot", HEX.formatHex(head.root()));
        doc.set("path", hexes(path));
        doc.set("treeHead", treeHead(head));
        return doc;
    }

    public static ObjectNode treeHead(TreeHead h) {
        return JSON.createObjectNode().put("storeId", h.storeId()).put("size", h.size()).put("root", HEX.formatHex(h.root()))
                .put("signedAt", h.signedAt().toString()).put("keyId", h.keyId())
                .put("publicKey", Base64.getEncoder().encodeToString(h.publicKey()))
                .put("signature", Base64.getEncoder().encodeToString(h.signature()))
                .put("checkpoint", h.checkpoint());
    }

    /** Checks a document; the tree head's signature against {@code trustedPublicKey}, or the key it carries when null. */
    public static Check verify(JsonNode doc, byte[] trustedPublicKey) {
        try {
            TreeHead head = readTreeHead(required(doc, "treeHead"));
            byte[] key = trustedPublicKey != null ? trustedPublicKey : head.publicKey();
            if (!head.signatureValid(key)) {
                return new Check(false, "the tree head's signature does not verify" + (trustedPublicKey != null
                        ? " with the given public key" : " (with the key it carries)"));
            }
            if (head.checkpoint() != null && !head.checkpointValid(key)) {
                return new Check(false, "the tree head's checkpoint is not this head (origin " + Checkpoint.originOf(head.storeId())
                        + ", size " + head.size() + ", root " + HEX.formatHex(head.root()) + ") signed by the same key");
            }
            String kind = required(doc, "kind").asText();
            List<byte[]> path = readHexes(required(doc, "path"));
            if (kind.equals("inclusion")) {
                return inclusion(doc, head, path, trustedPublicKey != null);
            }
            if (kind.equals("consistency")) {
                return consistency(doc, head, path);
            }
            return new Check(false, "'kind' is '" + kind + "': a proof is 'inclusion' or 'consistency'");
        } catch (IllegalArgumentException e) {
            return new Check(false, e.getMessage());
        }
    }

    private static Check inclusion(JsonNode doc, TreeHead head, List<byte[]> path, boolean trusted) {
        byte[] record = Base64.getDecoder().decode(required(doc, "record").asText());
        byte[] leaf = MerkleHash.leaf(record);
        if (doc.hasNonNull("leafHash") && !HEX.formatHex(leaf).equals(doc.get("leafHash").asText())) {
            return new Check(false, "the proof's leafHash " + doc.get("leafHash").asText() + " is not the hash of its record ("
                    + HEX.formatHex(leaf) + "): the document was altered");
        }
        long position = required(doc, "position").asLong();
        if (!ProofVerifier.verifyInclusion(leaf, position, head.size(), path, head.root())) {
            return new Check(false, "the record at position " + position + " and its path do not lead to the root "
                    + HEX.formatHex(head.root()) + " of the signed tree head of size " + head.size());
        }
        return new Check(true, "event " + doc.path("eventId").asText() + " is at position " + position + " of the log whose "
                + "tree head of size " + head.size() + " (root " + HEX.formatHex(head.root()) + ") was signed at " + head.signedAt()
                + " by key " + head.keyId() + (trusted ? "" : " (the key the proof carries: check it is the store's)"));
    }

    private static Check consistency(JsonNode doc, TreeHead head, List<byte[]> path) {
        long from = required(doc, "from").asLong();
        byte[] fromRoot = HEX.parseHex(required(doc, "fromRoot").asText());
        if (doc.hasNonNull("to") && doc.get("to").asLong() != head.size()
                || doc.hasNonNull("toRoot") && !doc.get("toRoot").asText().equals(HEX.formatHex(head.root()))) {
            return new Check(false, "the proof's to/toRoot (" + doc.path("to").asText() + ", " + doc.path("toRoot").asText()
                    + ") are not its signed tree head's (" + head.size() + ", " + HEX.formatHex(head.root()) + "): the document was altered");
        }
        if (!ProofVerifier.verifyConsistency(from, head.size(), fromRoot, head.root(), path)) {
            return new Check(false, "the path does not show the tree of " + from + " events (root " + HEX.formatHex(fromRoot)
                    + ") to be a prefix of the signed tree of " + head.size() + " (root " + HEX.formatHex(head.root()) + ")");
        }
        return new Check(true, "the log of " + from + " events (root " + HEX.formatHex(fromRoot) + ") is a prefix of the log of "
                + head.size() + " events signed at " + head.signedAt() + ": nothing was changed or removed, only appended");
    }

    /**
     * Whether {@code doc} is another log's proof in the JSON form of the RFC 6962 test vectors (transparency-dev/merkle):
     * {@code {leafIdx, treeSize, root, leafHash, proof}} or {@code {size1, size2, root1, root2, proof}}, hashes in base64.
     */
    public static boolean isLogProof(JsonNode doc) {
        return !doc.has("kind") && (doc.has("leafIdx") || doc.has("size1"));
    }

    /**
     * Checks another log's proof ({@link #isLogProof}) against {@code head}, or, when null, against the size and root it
     * carries; a size or root it carries that is not {@code head}'s is refused.
     */
    public static Check verifyLogProof(JsonNode doc, LogProofs.Head head) {
        try {
            boolean inclusion = doc.has("leafIdx");
            long size = required(doc, inclusion ? "treeSize" : "size2").asLong();
            JsonNode rootField = doc.get(inclusion ? "root" : "root2");
            LogProofs.Head against = head;
            if (against == null) {
                against = LogProofs.Head.bare(size, LogProofs.hash(required(doc, inclusion ? "root" : "root2").asText()));
            } else if (size != head.size() || rootField != null && !rootField.isNull()
                    && !java.util.Arrays.equals(LogProofs.hash(rootField.asText()), head.root())) {
                return new Check(false, "the proof is for a tree of size " + size + (rootField == null ? "" : " and root " + rootField.asText())
                        + ", not " + head.source());
            }
            List<byte[]> path = new ArrayList<>();
            // an empty path may be written as null (Go's nil slice)
            doc.path("proof").forEach(h -> path.add(LogProofs.hash(h.asText())));
            return inclusion
                    ? LogProofs.inclusion(LogProofs.hash(required(doc, "leafHash").asText()), required(doc, "leafIdx").asLong(), path, against)
                    : LogProofs.consistency(required(doc, "size1").asLong(), LogProofs.hash(required(doc, "root1").asText()), path, against);
        } catch (IllegalArgumentException e) {
            return new Check(false, e.getMessage());
        }
    }

    public static TreeHead readTreeHead(JsonNode h) {
        return new TreeHead(required(h, "storeId").asText(), required(h, "size").asLong(), HEX.parseHex(required(h, "root").asText()),
                Instant.parse(required(h, "signedAt").asText()), required(h, "keyId").asText(),
                Base64.getDecoder().decode(required(h, "publicKey").asText()), Base64.getDecoder().decode(required(h, "signature").asText()),
                h.hasNonNull("checkpoint") ? h.get("checkpoint").asText() : null);
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("the proof has no '" + field + "'");
        }
        return value;
    }

    private static ArrayNode hexes(List<byte[]> hashes) {
        ArrayNode array = JSON.createArrayNode();
        hashes.forEach(h -> array.add(HEX.formatHex(h)));
        return array;
    }

    private static List<byte[]> readHexes(JsonNode array) {
        List<byte[]> out = new ArrayList<>();
        array.forEach(h -> out.add(HEX.parseHex(h.asText())));
        return out;
    }
}
