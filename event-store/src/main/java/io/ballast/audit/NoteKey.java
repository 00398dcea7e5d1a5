package io.ballast.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * An Ed25519 key of the C2SP signed-note format (https://c2sp.org/signed-note), the format of Go's checksum
 * database, Sigstore's Rekor v2 and Tessera-based logs: a name, the key hash that names it in signature lines
 * (the first 4 bytes of SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key)), and the 32-byte public key. Its text form, the
 * verifier key, is {@code name+hash+base64(0x01 ‖ public key)}, e.g. {@code sum.golang.org+033de0ae+Ac4z…}.
 */
public record NoteKey(String name, int keyHash, byte[] publicKey) {
    /** The signature-type byte of Ed25519 in the signed-note format. */
    static final byte ED25519 = 0x01;
    // Ed25519 public keys in X.509 SubjectPublicKeyInfo form (what the JDK reads): this prefix, then the 32 bytes
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    public NoteKey {
        requireName(name);
        if (publicKey.length != 32) {
            throw new IllegalArgumentException("an Ed25519 note key has 32 bytes, not " + publicKey.length);
        }
        publicKey = publicKey.clone();
        if (keyHash != hash(name, publicKey)) {
            throw new IllegalArgumentException("the key hash " + hex(keyHash) + " of '" + name + "' is not the hash of its name and key ("
                    + hex(hash(name, publicKey)) + ")");
        }
    }

    /** The note key named {@code name} of a JDK Ed25519 public key (X.509 form, as {@link SigningKey#publicKey()} gives). */
    public static NoteKey of(String name, byte[] publicKeyX509) {
        if (publicKeyX509.length != X509_PREFIX.length + 32
                || !Arrays.equals(publicKeyX509, 0, X509_PREFIX.length, X509_PREFIX, 0, X509_PREFIX.length)) {
            throw new IllegalArgumentException("not an Ed25519 public key in X.509 form");
        }
        byte[] raw = Arrays.copyOfRange(publicKeyX509, X509_PREFIX.length, publicKeyX509.length);
        return new NoteKey(name, hash(name, raw), raw);
    }

    /** Reads a verifier key {@code name+hash+base64}; refuses any other algorithm, length or hash, saying which. */
    public static NoteKey parse(String verifierKey) {
        String text = verifierKey.strip();
        // the name has no '+' and the hash is hex: the first two '+' end them (base64 may hold '+')
        int first = text.indexOf('+');
        int second = first < 0 ? -1 : text.indexOf('+', first + 1);
        if (first <= 0 || second < 0) {
            throw new IllegalArgumentException("a verifier key is name+hash+key (e.g. sum.golang.org+033de0ae+Ac4z…), not '" + text + "'");
        }
        String hashHex = text.substring(first + 1, second);
        if (!hashHex.matches("[0-9a-f]{8}")) {
            throw new IllegalArgumentException("the key hash of a verifier key is 8 lowercase hex digits, not '" + hashHex + "'");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text.substring(second + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the key of a verifier key is base64: " + e.getMessage());
        }
        if (key.length == 0 || key[0] != ED25519) {
            throw new IllegalArgumentException("the verifier key is not an Ed25519 key (its type byte is not 0x01)");
        }
        return new NoteKey(text.substring(0, first), Integer.parseUnsignedInt(hashHex, 16), Arrays.copyOfRange(key, 1, key.length));
    }

    /** {@code name+hash+base64(0x01 ‖ key)}. */
    public String verifierKey() {
        byte[] typed = new byte[33];
        typed[0] = ED25519;
        System.arraycopy(publicKey, 0, typed, 1, 32);
        return name + "+" + hex(keyHash) + "+" + Base64.getEncoder().encodeToString(typed);
    }

    /** The key in the JDK's X.509 form. */
    public byte[] publicKeyX509() {
        byte[] x509 = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + 32);
        System.arraycopy(publicKey, 0, x509, X509_PREFIX.length, 32);
        return x509;
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoteKey k && k.name.equals(name) && k.keyHash == keyHash && Arrays.equals(k.publicKey, publicKey);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + keyHash;
    }

    @Override
    public String toString() {
        return verifierKey();
    }

    static void requireName(String name) {
        if (name.isEmpty() || name.codePoints().anyMatch(c -> c == '+' || Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new IllegalArgumentException("a note key's name is not empty and has no '+', space or control character: '" + name + "'");
        }
    }

    static int hash(String name, byte[] publicKey) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(name.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
            sha.update(ED25519);
            sha.update(publicKey);
            return ByteBuffer.wrap(sha.digest()).getInt();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static String hex(int keyHash) {
        return String.format("%08x", keyHash);
    }
}
