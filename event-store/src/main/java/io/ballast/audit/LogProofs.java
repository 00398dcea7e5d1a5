package io.ballast.audit;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Inclusion and consistency proofs of any RFC 6962 log, not only Ballast's: a leaf hash (or the leaf's bytes) and a
 * path, checked against a C2SP checkpoint signed by the log's note key, or against a bare size and root. This is how
 * Ballast's proofs are checked with other logs' tools and other logs' proofs with Ballast's.
 */
public final class LogProofs {
    private LogProofs() {
    }

    /** A checkpoint that carries no valid signature by the key it was checked with: not valid, as opposed to unreadable. */
    public static final class NotSignedException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        NotSignedException(String message) {
            super(message);
        }
    }

    /** What a proof is checked against: a tree size and root, and where they come from (said in every answer). */
    public record Head(long size, byte[] root, String source) {
        public Head {
            if (size < 0 || root.length != MerkleHash.SIZE) {
                throw new IllegalArgumentException("a tree head has a size >= 0 and a root of " + MerkleHash.SIZE + " bytes");
            }
            root = root.clone();
        }

        /** A size and root taken on trust. */
        public static Head bare(long size, byte[] root) {
            return new Head(size, root, "the given size " + size + " and root " + LogProofs.base64(root) + " (no signature checked)");
        }

        /** The checkpoint of a signed note, once a signature by {@code key} holds on it; refuses it otherwise. */
        public static Head signed(String signedNote, NoteKey key) {
            SignedNote note = SignedNote.parse(signedNote);
            if (!note.verifiedBy(key)) {
                throw new NotSignedException("the checkpoint has no valid signature by " + key.name() + "+" + NoteKey.hex(key.keyHash())
                        + " (signed by: " + note.signatures().stream().map(s -> s.keyName() + "+" + NoteKey.hex(s.keyHash())).toList() + ")");
            }
            Checkpoint c = Checkpoint.parse(note.text());
            return new Head(c.size(), c.root(), "the checkpoint of '" + c.origin() + "' at size " + c.size() + ", signed by "
                    + key.name() + "+" + NoteKey.hex(key.keyHash()));
        }
    }

    /** Whether leaf {@code index} with {@code leafHash} is in the tree of {@code head}, by {@code path}. */
    public static ProofDocuments.Check inclusion(byte[] leafHash, long index, List<byte[]> path, Head head) {
        if (leafHash.length != MerkleHash.SIZE) {
            return new ProofDocuments.Check(false, "a leaf hash has " + MerkleHash.SIZE + " bytes, not " + leafHash.length);
        }
        if (!ProofVerifier.verifyInclusion(leafHash, index, head.size(), path, head.root())) {
            return new ProofDocuments.Check(false, "leaf " + base64(leafHash) + " at index " + index + " and its path of " + path.size()
                    + " hash(es) do not lead to the root of " + head.source());
        }
        return new ProofDocuments.Check(true, "leaf " + base64(leafHash) + " is at index " + index + " of the tree of " + head.source());
    }

    /** Whether the tree of {@code oldSize} leaves with {@code oldRoot} is a prefix of the tree of {@code head}, by {@code path}. */
    public static ProofDocuments.Check consistency(long oldSize, byte[] oldRoot, List<byte[]> path, Head head) {
        if (oldRoot.length != MerkleHash.SIZE) {
            return new ProofDocuments.Check(false, "a root hash has " + MerkleHash.SIZE + " bytes, not " + oldRoot.length);
        }
        if (!ProofVerifier.verifyConsistency(oldSize, head.size(), oldRoot, head.root(), path)) {
            return new ProofDocuments.Check(false, "the path does not show the tree of " + oldSize + " (root " + base64(oldRoot)
                    + ") to be a prefix of the tree of " + head.source());
        }
        return new ProofDocuments.Check(true, "the tree of " + oldSize + " (root " + base64(oldRoot) + ") is a prefix of the tree of "
                + head.source() + ": only appended to");
    }

    /** A hash given as 64 hex digits or as base64; refuses anything else, saying so. */
    public static byte[] hash(String text) {
        String t = text.strip();
        byte[] h;
        try {
            h = t.length() == 2 * MerkleHash.SIZE && t.matches("[0-9a-fA-F]+") ? HexFormat.of().parseHex(t) : Base64.getDecoder().decode(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + t + "' is neither 64 hex digits nor base64");
        }
        if (h.length != MerkleHash.SIZE) {
            throw new IllegalArgumentException("'" + t + "' is " + h.length + " bytes; a SHA-256 hash is " + MerkleHash.SIZE);
        }
        return h;
    }

    static String base64(byte[] hash) {
        return Base64.getEncoder().encodeToString(hash);
    }
}
