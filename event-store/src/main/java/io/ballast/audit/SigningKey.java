package io.ballast.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;

import io.ballast.config.SecretFiles;

/**
 * The store's Ed25519 key (the JDK's own), kept in its data directory: {@code ed25519.key} (PKCS#8, owner
 * read/write only) and {@code ed25519.pub} (X.509), created on first use. The key id is the SHA-256 of
 * the public key, as {@code AuditAnchor.keyId} says.
 */
public final class SigningKey {
    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    private SigningKey(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    public static SigningKey loadOrCreate(Path dir) {
        Path priv = dir.resolve("ed25519.key");
        Path pub = dir.resolve("ed25519.pub");
        try {
            KeyFactory factory = KeyFactory.getInstance("Ed25519");
            if (Files.exists(priv) && Files.exists(pub)) {
                return new SigningKey(factory.generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(priv))),
                        factory.generatePublic(new X509EncodedKeySpec(Files.readAllBytes(pub))));
            }
            Files.createDirectories(dir);
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            // owner-only from its creation: restricting it after writing leaves a moment in which anyone may read it
            SecretFiles.write(priv, pair.getPrivate().getEncoded());
            Files.write(pub, pair.getPublic().getEncoded());
            return new SigningKey(pair.getPrivate(), pair.getPublic());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read or write the signing key in " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the signing key in " + dir + " is not an Ed25519 key: " + e.getMessage(), e);
        }
    }

    public byte[] sign(byte[] message) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(privateKey);
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    public byte[] publicKey() {
        return publicKey.getEncoded();
    }

    public String keyId() {
        return keyId(publicKey.getEncoded());
    }

    public static String keyId(byte[] publicKeyX509) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(publicKeyX509));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code signature} is the signature of {@code message} by the holder of {@code publicKeyX509}. */
    public static boolean verify(byte[] publicKeyX509, byte[] message, byte[] signature) {
        try {
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(publicKeyX509));
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(message);
            return s.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
