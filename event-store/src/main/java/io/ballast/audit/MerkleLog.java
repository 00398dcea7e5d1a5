package io.ballast.audit;

import java.util.ArrayList;
import java.util.List;

/**
 * An append-only Merkle log (RFC 6962 §2.1) over leaf hashes. Every perfect subtree's hash is kept as it
 * completes (about two nodes per leaf), so the root of any size and every proof take O(log n) node reads
 * and no leaf is hashed twice. Proofs follow the RFC's PATH and SUBPROOF definitions, so any RFC 6962
 * verifier accepts them.
 */
public final class MerkleLog {
    private final MerkleNodes nodes;
    private long size;

    /** A log over {@code nodes} that already holds {@code size} leaves. */
    public MerkleLog(MerkleNodes nodes, long size) {
        this.nodes = nodes;
        this.size = size;
    }

    public long size() {
        return size;
    }

    /** Appends a leaf hash and stores every perfect subtree it completes. */
    public void append(byte[] leafHash) {
        long index = size;
        nodes.put(0, index, leafHash);
        byte[] hash = leafHash;
        int level = 0;
        while ((index & 1) == 1) {
            hash = MerkleHash.node(nodes.get(level, index - 1), hash);
            index >>= 1;
            level++;
            nodes.put(level, index, hash);
        }
        size++;
    }

    /** The tree head of the first {@code n} leaves. */
    public byte[] root(long n) {
        requireSize(n, "root");
        return n == 0 ? MerkleHash.empty() : hash(0, n);
    }

    /** The audit path of leaf {@code index} in the tree of the first {@code n} leaves. */
    public List<byte[]> inclusionProof(long index, long n) {
        requireSize(n, "inclusion proof");
        if (index < 0 || index >= n) {
            throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + n + " leaves");
        }
        List<byte[]> path = new ArrayList<>();
        path(index, 0, n, path);
        return path;
    }

    /** The proof that the tree of the first {@code m} leaves is a prefix of the tree of the first {@code n}. */
    public List<byte[]> consistencyProof(long m, long n) {
        requireSize(n, "consistency proof");
        if (m < 0 || m > n) {
            throw new IllegalArgumentException("a consistency proof goes from a smaller tree to a larger one, not " + m + " to " + n);
        }
        List<byte[]> proof = new ArrayList<>();
        if (m > 0 && m < n) {
            subproof(m, 0, n, true, proof);
        }
        return proof;
    }

    private void requireSize(long n, String what) {
        if (n < 0 || n > size) {
            throw new IllegalArgumentException("no " + what + " for a tree of " + n + " leaves: the log holds " + size);
        }
    }

    /** MTH(D[start:end]); a perfect aligned range is one stored node. */
    private byte[] hash(long start, long end) {
        long n = end - start;
        if (Long.bitCount(n) == 1 && start % n == 0) {
            byte[] stored = nodes.get(Long.numberOfTrailingZeros(n), start / n);
            if (stored == null) {
                throw new IllegalStateException("Merkle node for leaves " + start + ".." + (end - 1) + " is missing");
            }
            return stored;
        }
        long k = split(n);
        return MerkleHash.node(hash(start, start + k), hash(start + k, end));
    }

    private void path(long m, long start, long end, List<byte[]> out) {
        long n = end - start;
        if (n == 1) {
            return;
        }
        long k = split(n);
        if (m < k) {
            path(m, start, start + k, out);
            out.add(hash(start + k, end));
        } else {
            path(m - k, start + k, end, out);
            out.add(hash(start, start + k));
        }
    }

    private void subproof(long m, long start, long end, boolean whole, List<byte[]> out) {
        long n = end - start;
        if (m == n) {
            if (!whole) {
                out.add(hash(start, end));
            }
            return;
        }
        long k = split(n);
        if (m <= k) {
            subproof(m, start, start + k, whole, out);
            out.add(hash(start + k, end));
        } else {
            subproof(m - k, start + k, end, false, out);
            out.add(hash(start, start + k));
        }
    }

    /** The largest power of two smaller than {@code n} (n ≥ 2), RFC 6962's split point. */
    static long split(long n) {
        return Long.highestOneBit(n - 1);
    }
}
