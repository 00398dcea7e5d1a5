package io.ballast.audit;

import java.security.MessageDigest;
import java.util.List;

/**
 * Checks RFC 6962 proofs with nothing but the proof, the leaf and the tree heads (RFC 9162 §2.1.3.2 and
 * §2.1.4.2): no store needed, so anyone holding a signed tree head can check an event or a log's growth.
 */
public final class ProofVerifier {
    private ProofVerifier() {
    }

    /** Whether {@code proof} shows leaf {@code index} with hash {@code leafHash} in the tree of {@code size} leaves with {@code root}. */
    public static boolean verifyInclusion(byte[] leafHash, long index, long size, List<byte[]> proof, byte[] root) {
        if (index < 0 || index >= size || !allHashes(proof) || leafHash.length != MerkleHash.SIZE) {
            return false;
        }
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = MerkleHash.node(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = MerkleHash.node(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(r, root);
    }

    /** Whether {@code proof} shows the tree of {@code size1} leaves with {@code root1} is a prefix of the tree of {@code size2} with {@code root2}. */
    public static boolean verifyConsistency(long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof) {
        if (size1 < 0 || size2 < size1 || !allHashes(proof)) {
            return false;
        }
        if (size1 == size2) {
            return proof.isEmpty() && MessageDigest.isEqual(root1, root2);
        }
        if (size1 == 0) {
            return proof.isEmpty();
        }
        if (proof.isEmpty()) {
            return false;
        }
        int i = 0;
        byte[][] path = proof.toArray(new byte[0][]);
        if (Long.bitCount(size1) == 1) {
            // size1 is a power of two: its root is the first node, not in the proof
            byte[][] withRoot = new byte[path.length + 1][];
            withRoot[0] = root1;
            System.arraycopy(path, 0, withRoot, 1, path.length);
            path = withRoot;
        }
        long fn = size1 - 1;
        long sn = size2 - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path[i];
        byte[] sr = path[i];
        for (i = 1; i < path.length; i++) {
            byte[] c = path[i];
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = MerkleHash.node(c, fr);
                sr = MerkleHash.node(c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                sr = MerkleHash.node(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(fr, root1) && MessageDigest.isEqual(sr, root2);
    }

    private static boolean allHashes(List<byte[]> proof) {
        return proof.stream().allMatch(h -> h != null && h.length == MerkleHash.SIZE);
    }
}
