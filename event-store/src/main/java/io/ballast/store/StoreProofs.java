package io.ballast.store;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ballast.audit.ProofDocuments;
import io.ballast.audit.SigningKey;
import io.ballast.audit.TreeHead;

/** Proof documents for the store's events and growth, each against a signed tree head. */
public final class StoreProofs {
    private StoreProofs() {
    }

    /** The inclusion proof of an event, against the latest signed tree head that covers it (signing a new one if none does). */
    public static ObjectNode inclusion(EventStore store, SigningKey key, UUID eventId) {
        long position = store.positionOf(eventId).orElseThrow(() -> new IllegalArgumentException("no event " + eventId + " in the store"));
        TreeHead head = store.latestTreeHead().filter(h -> h.size() > position).orElseGet(() -> store.signTreeHead(key));
        byte[] body = RecordCodec.checkedBody(position, store.get("log", Keys.position(position)));
        return ProofDocuments.inclusion(eventId.toString(), position, body, store.merkle().inclusionProof(position, head.size()), head);
    }

    /**
     * The latest signed tree head as a C2SP checkpoint (a signed note), signing one for the current size when there is
     * none yet or the latest was signed before checkpoints existed.
     */
    public static String checkpoint(EventStore store, SigningKey key) {
        TreeHead head = store.latestTreeHead().filter(h -> h.checkpoint() != null).orElseGet(() -> store.signTreeHead(key));
        return head.checkpoint();
    }

    /**
     * The proof that the log of {@code from} events is a prefix of the log of {@code to}; {@code to} must be the size of a
     * signed tree head, or the current size (then a head is signed for it).
     */
    public static ObjectNode consistency(EventStore store, SigningKey key, long from, long to) {
        TreeHead head = store.treeHeads().stream().filter(h -> h.size() == to).reduce((a, b) -> b).orElseGet(() -> {
            if (to != store.size()) {
                throw new IllegalArgumentException("no signed tree head of size " + to + "; signed sizes: "
                        + store.treeHeads().stream().map(TreeHead::size).toList() + ", current size " + store.size());
            }
            return store.signTreeHead(key);
        });
        if (from < 0 || from > to) {
            throw new IllegalArgumentException("--from " + from + " must be between 0 and --to " + to);
        }
        List<byte[]> path = store.merkle().consistencyProof(from, to);
        return ProofDocuments.consistency(from, store.merkle().root(from), path, head);
    }
}
