package io.ballast.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.ballast.audit.MerkleHash;
import io.ballast.audit.TreeHead;

/**
 * Recomputes everything the store claims: each record against its checksum, each Merkle leaf against its
 * record, each Merkle node against its children, each signed tree head against the recomputed root and
 * its signature. Names the first position that does not match.
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
        for (long p = 0; p < size; p++) {
            String problem = leafProblem(store, p);
            nodes++;
            if (problem != null) {
                firstBad = Math.min(firstBad, p);
                note(problems, problem);
            }
        }
        for (int level = 1; (1L << level) <= size; level++) {
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
            if (!Arrays.equals(head.root(), store.merkle().root(head.size()))) {
                note(problems, "tree head of size " + head.size() + " signed at " + head.signedAt() + " has a root the log no longer gives");
            }
            if (!head.signatureValid(trustedPublicKey != null ? trustedPublicKey : head.publicKey())) {
                note(problems, "tree head of size " + head.size() + " has a signature that does not verify");
            }
        }
        return new Report(size, nodes, heads.size(), firstBad == Long.MAX_VALUE ? -1 : firstBad, problems);
    }

    private static String leafProblem(EventStore store, long p) {
        byte[] leaf;
        try {
            leaf = store.leafHash(p);
        } catch (CorruptRecordException e) {
            return e.getMessage();
        } catch (IllegalArgumentException e) {
            return "position " + p + ": the record is missing";
        } catch (StoreException e) {
            return "position " + p + ": unreadable on disk: " + e.getMessage();
        }
        return Arrays.equals(leaf, store.node(0, p)) ? null : "position " + p + ": the record does not hash to its Merkle leaf";
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
