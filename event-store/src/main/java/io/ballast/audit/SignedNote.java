package io.ballast.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * A note of the C2SP signed-note format: UTF-8 text ending in a newline, a blank line, then one line per signature,
 * {@code — <key name> base64(key hash ‖ signature)}. What is signed is the text, newline included, and nothing else.
 */
public record SignedNote(String text, List<Signature> signatures) {
    private static final String DASH = "\u2014 ";
    private static final int MAX_SIGNATURES = 100;

    /** One signature line: the key's name, its 4-byte hash, and the signature bytes. */
    public record Signature(String keyName, int keyHash, byte[] signature) {
        String line() {
            byte[] both = ByteBuffer.allocate(4 + signature.length).putInt(keyHash).put(signature).array();
            return DASH + keyName + " " + Base64.getEncoder().encodeToString(both) + "\n";
        }
    }

    public SignedNote {
        requireText(text);
        signatures = List.copyOf(signatures);
    }

    /** Signs {@code text} with the store's key under {@code keyName}. */
    public static SignedNote sign(String text, String keyName, SigningKey key) {
        requireText(text);
        NoteKey noteKey = NoteKey.of(keyName, key.publicKey());
        return new SignedNote(text, List.of(new Signature(keyName, noteKey.keyHash(), key.sign(text.getBytes(StandardCharsets.UTF_8)))));
    }

    /** Reads a note; refuses, saying what is wrong, anything the format does not allow. */
    public static SignedNote parse(String note) {
        int split = note.lastIndexOf("\n\n");
        if (split < 0) {
            throw new IllegalArgumentException("a signed note is text, a blank line and signature lines; this one has no blank line");
        }
        String text = note.substring(0, split + 1);
        String block = note.substring(split + 2);
        if (!block.endsWith("\n")) {
            throw new IllegalArgumentException("the signature lines of a note end with a newline");
        }
        List<Signature> signatures = new ArrayList<>();
        for (String line : block.substring(0, block.length() - 1).split("\n", -1)) {
            signatures.add(signatureLine(line));
            if (signatures.size() > MAX_SIGNATURES) {
                throw new IllegalArgumentException("a note has at most " + MAX_SIGNATURES + " signatures");
            }
        }
        return new SignedNote(text, signatures);
    }

    /** Whether a signature by {@code key} (same name and key hash) is on this note and holds over its text. */
    public boolean verifiedBy(NoteKey key) {
        byte[] message = text.getBytes(StandardCharsets.UTF_8);
        byte[] x509 = key.publicKeyX509();
        return signatures.stream().anyMatch(s -> s.keyName().equals(key.name()) && s.keyHash() == key.keyHash()
                && s.signature().length == 64 && SigningKey.verify(x509, message, s.signature()));
    }

    /** The note as it is written: text, blank line, signature lines. */
    public String format() {
        StringBuilder out = new StringBuilder(text).append('\n');
        signatures.forEach(s -> out.append(s.line()));
        return out.toString();
    }

    private static Signature signatureLine(String line) {
        if (!line.startsWith(DASH)) {
            throw new IllegalArgumentException("a signature line starts with an em dash and a space: '" + line + "'");
        }
        String[] parts = line.substring(DASH.length()).split(" ", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("a signature line is '— <key name> <base64>': '" + line + "'");
        }
        NoteKey.requireName(parts[0]);
        byte[] both;
        try {
            both = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the signature of '" + parts[0] + "' is not base64: " + e.getMessage());
        }
        if (both.length < 5) {
            throw new IllegalArgumentException("the signature of '" + parts[0] + "' is shorter than a key hash and a signature");
        }
        return new Signature(parts[0], ByteBuffer.wrap(both).getInt(), Arrays.copyOfRange(both, 4, both.length));
    }

    private static void requireText(String text) {
        if (text.isEmpty() || !text.endsWith("\n") || text.contains("\n\n") || text.chars().anyMatch(c -> c < 0x20 && c != '\n')) {
            throw new IllegalArgumentException("a note's text ends with a newline and has no blank line and no control character");
        }
    }
}
