package io.ballast.audit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** RFC 6962 hashing: leaf {@code SHA-256(0x00 ‖ bytes)}, node {@code SHA-256(0x01 ‖ left ‖ right)}, empty tree {@code SHA-256()}. */
public final class MerkleHash {
    public static final int SIZE = 32;

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

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
