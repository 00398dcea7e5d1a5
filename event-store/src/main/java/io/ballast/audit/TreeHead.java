package io.ballast.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;

/**
 * A signed tree head: the Merkle root of the first {@code size} events, when it was signed, by which key.
 * The signature covers {@link #message()}: store id, size, signing time and root, so none can be swapped.
 */
public record TreeHead(String storeId, long size, byte[] root, Instant signedAt, String keyId, byte[] publicKey, byte[] signature) {

    public static TreeHead sign(SigningKey key, String storeId, long size, byte[] root, Instant at) {
        byte[] message = message(storeId, size, root, at);
        return new TreeHead(storeId, size, root, at, key.keyId(), key.publicKey(), key.sign(message));
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
}
