package io.ballast.audit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/** RFC 6962 hashing: leaf {@code SHA-256(0x00 ‖ bytes)}, node {@code SHA-256(0x01 ‖ left ‖ right)}, empty tree {@code SHA-256()}. */
public final class MerkleHash {
    public static final int SIZE = 32;
    /** A digest per thread, reset by each {@code digest()}: looking one up costs more than a node's hash. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(MerkleHash::newSha256);

    private MerkleHash() {
    }

    public static byte[] leaf(byte[] data) {
        MessageDigest sha = sha256();
        sha.update((byte) 0x00);
        sha.update(data);
        return sha.digest();
    }

    public static byte[] node(byte[] left, byte[] right) {
        MessageDigest sha = sha256();
        sha.update((byte) 0x01);
        sha.update(left);
        sha.update(right);
        return sha.digest();
    }

    public static byte[] empty() {
        return sha256().digest();
    }

    /** MTH (RFC 6962 §2.1) of the given leaf hashes: the root of the tree over them, {@link #empty()} for none. */
    public static byte[] root(List<byte[]> leafHashes) {
        int n = leafHashes.size();
        if (n == 0) {
            return empty();
        }
        if (n == 1) {
            return leafHashes.get(0);
        }
        int k = Integer.highestOneBit(n - 1);
        return node(root(leafHashes.subList(0, k)), root(leafHashes.subList(k, n)));
    }

    private static MessageDigest sha256() {
        MessageDigest sha = SHA256.get();
        sha.reset();
        return sha;
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
