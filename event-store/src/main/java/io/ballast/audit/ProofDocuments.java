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
                .put("signature", Base64.getEncoder().encodeToString(h.signature()));
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
        if (!ProofVerifier.verifyConsistency(from, head.size(), fromRoot, head.root(), path)) {
            return new Check(false, "the path does not show the tree of " + from + " events (root " + HEX.formatHex(fromRoot)
                    + ") to be a prefix of the signed tree of " + head.size() + " (root " + HEX.formatHex(head.root()) + ")");
        }
        return new Check(true, "the log of " + from + " events (root " + HEX.formatHex(fromRoot) + ") is a prefix of the log of "
                + head.size() + " events signed at " + head.signedAt() + ": nothing was changed or removed, only appended");
    }

    public static TreeHead readTreeHead(JsonNode h) {
        return new TreeHead(required(h, "storeId").asText(), required(h, "size").asLong(), HEX.parseHex(required(h, "root").asText()),
                Instant.parse(required(h, "signedAt").asText()), required(h, "keyId").asText(),
                Base64.getDecoder().decode(required(h, "publicKey").asText()), Base64.getDecoder().decode(required(h, "signature").asText()));
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
