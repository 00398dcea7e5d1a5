package io.ballast.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.ballast.audit.MerkleHash;
import io.ballast.audit.TreeHead;

/**
 * Recomputes everything the store claims: each record against its checksum, each block of
 * {@value LogMerkleNodes#BLOCK} records against the Merkle node stored over it (the nodes below are the records'
 * own hashes, recomputed rather than stored), each stored node against its children, each signed tree head
 * against the recomputed root and its signature. Names the first position that does not match: the record's
 * own when its checksum fails, the first of its block when only the tree can tell.
 */
public final class StoreAudit {
    /**
     * @param firstBadPosition the lowest position a problem touches, or -1 when everything matches
     * @param problems         what did not match, in order found (at most 100)
     */
    public record Report(long events, long nodesChecked, int treeHeadsChecked, long firstBadPosition, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private StoreAudit() {
    }

    /** Verifies the store; tree head signatures against {@code trustedPublicKey}, or each head's own key when null. */
    public static Report verify(EventStore store, byte[] trustedPublicKey) {
        long size = store.size();
        List<String> problems = new ArrayList<>();
        long firstBad = Long.MAX_VALUE;
        long nodes = 0;
        List<byte[]> block = new ArrayList<>(LogMerkleNodes.BLOCK);
        boolean blockReadable = true;
        for (long p = 0; p < size; p++) {
            nodes++;
            try {
                block.add(leaf(store, p));
            } catch (LeafProblem e) {
                firstBad = Math.min(firstBad, p);
                note(problems, e.getMessage());
                blockReadable = false;
            }
            if ((p + 1) % LogMerkleNodes.BLOCK == 0) {
                long from = p + 1 - LogMerkleNodes.BLOCK;
                nodes++;
                // a block with an unreadable record is already reported, and its hash cannot be recomputed
                if (blockReadable && !Arrays.equals(MerkleHash.root(block), store.node(LogMerkleNodes.STORED_LEVEL, from / LogMerkleNodes.BLOCK))) {
                    firstBad = Math.min(firstBad, from);
                    note(problems, "positions " + from + ".." + p + ": the records do not hash to the Merkle node stored over them");
                }
                block.clear();
                blockReadable = true;
            }
        }
        for (int level = LogMerkleNodes.STORED_LEVEL + 1; (1L << level) <= size; level++) {
            for (long i = 0; (i + 1) << level <= size; i++) {
                nodes++;
                byte[] expected = MerkleHash.node(orEmpty(store.node(level - 1, 2 * i)), orEmpty(store.node(level - 1, 2 * i + 1)));
                if (!Arrays.equals(expected, store.node(level, i))) {
                    long from = i << level;
                    firstBad = Math.min(firstBad, from);
                    note(problems, "Merkle node at level " + level + " over positions " + from + ".." + (((i + 1) << level) - 1)
                            + " does not match its children");
                }
            }
        }
        List<TreeHead> heads = store.treeHeads();
        for (TreeHead head : heads) {
            if (head.size() > size) {
                note(problems, "tree head of size " + head.size() + " is beyond the log's " + size + " events: events were lost");
                firstBad = Math.min(firstBad, size);
                continue;
            }
            if (!Arrays.equals(head.root(), root(store, head.size()))) {
                note(problems, "tree head of size " + head.size() + " signed at " + head.signedAt() + " has a root the log no longer gives");
            }
            if (!head.signatureValid(trustedPublicKey != null ? trustedPublicKey : head.publicKey())) {
                note(problems, "tree head of size " + head.size() + " has a signature that does not verify");
            }
        }
        return new Report(size, nodes, heads.size(), firstBad == Long.MAX_VALUE ? -1 : firstBad, problems);
    }

    /** The root of the first {@code n} positions, or null when the log cannot give one (an unreadable record, reported above). */
    private static byte[] root(EventStore store, long n) {
        try {
            return store.merkle().root(n);
        } catch (CorruptRecordException | StoreException | IllegalStateException e) {
            return null;
        }
    }

    private static byte[] leaf(EventStore store, long p) throws LeafProblem {
        try {
            return store.leafHash(p);
        } catch (CorruptRecordException e) {
            throw new LeafProblem(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new LeafProblem("position " + p + ": the record is missing");
        } catch (StoreException e) {
            throw new LeafProblem("position " + p + ": unreadable on disk: " + e.getMessage());
        }
    }

    /** Why a record's leaf could not be computed. */
    private static final class LeafProblem extends Exception {
        LeafProblem(String message) {
            super(message, null, false, false);
        }
    }

    private static byte[] orEmpty(byte[] hash) {
        return hash == null ? new byte[0] : hash;
    }

    private static void note(List<String> problems, String problem) {
        if (problems.size() < 100) {
            problems.add(problem);
        }
    }
}
