package io.ballast.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;

/**
 * A signed tree head: the Merkle root of the first {@code size} events, when it was signed, by which key.
 * The signature covers {@link #message()}: store id, size, signing time and root, so none can be swapped.
 * The same key also signs the head as a C2SP checkpoint ({@code checkpoint}, a signed note whose origin and key
 * name are {@link Checkpoint#originOf}), which any transparency-log tool can check; heads signed before
 * checkpoints existed have none (null).
 */
public record TreeHead(String storeId, long size, byte[] root, Instant signedAt, String keyId, byte[] publicKey, byte[] signature,
                       String checkpoint) {

    public static TreeHead sign(SigningKey key, String storeId, long size, byte[] root, Instant at) {
        byte[] message = message(storeId, size, root, at);
        String origin = Checkpoint.originOf(storeId);
        String note = SignedNote.sign(new Checkpoint(origin, size, root, java.util.List.of()).text(), origin, key).format();
        return new TreeHead(storeId, size, root, at, key.keyId(), key.publicKey(), key.sign(message), note);
    }

    /** The note key that signs this store's checkpoints (its verifier key is what others pin). */
    public NoteKey noteKey() {
        return NoteKey.of(Checkpoint.originOf(storeId), publicKey);
    }

    public byte[] message() {
        return message(storeId, size, root, signedAt);
    }

    static byte[] message(String storeId, long size, byte[] root, Instant at) {
        return ("ballast-tree-head/v1\n" + storeId + "\n" + size + "\n" + HexFormat.of().formatHex(root) + "\n" + at.toEpochMilli())
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Whether the signature holds for {@code publicKeyX509} (pass the key you trust, not only the one it carries). */
    public boolean signatureValid(byte[] publicKeyX509) {
        return SigningKey.keyId(publicKeyX509).equals(keyId) && SigningKey.verify(publicKeyX509, message(), signature);
    }

    /**
     * Whether the checkpoint holds for {@code publicKeyX509}: signed by it under this store's origin, and of this head's
     * size and root. A head without a checkpoint has nothing to check (false).
     */
    public boolean checkpointValid(byte[] publicKeyX509) {
        if (checkpoint == null) {
            return false;
        }
        try {
            SignedNote note = SignedNote.parse(checkpoint);
            Checkpoint c = Checkpoint.parse(note.text());
            return note.verifiedBy(NoteKey.of(Checkpoint.originOf(storeId), publicKeyX509)) && c.origin().equals(Checkpoint.originOf(storeId))
                    && c.size() == size && java.util.Arrays.equals(c.root(), root);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
