package io.ballast.audit;

/**
 * Where a {@link MerkleLog} keeps the hashes of its perfect subtrees: the subtree of {@code 2^level}
 * leaves starting at leaf {@code index × 2^level}. Level 0 holds the leaf hashes.
 */
public interface MerkleNodes {
    /** The hash, or null if it was never stored. */
    byte[] get(int level, long index);

    void put(int level, long index, byte[] hash);
}
