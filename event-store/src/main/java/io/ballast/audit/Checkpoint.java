package io.ballast.audit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * A tree head in the C2SP tlog-checkpoint form (https://c2sp.org/tlog-checkpoint): the log's origin line, the tree
 * size in decimal, the base64 root hash (RFC 6962 SHA-256), then optional extension lines, each ending in a newline.
 * It is the text of a {@link SignedNote}; the store signs one beside each of its own tree heads.
 */
public record Checkpoint(String origin, long size, byte[] root, List<String> extensions) {
    public Checkpoint {
        if (origin.isEmpty() || origin.contains("\n")) {
            throw new IllegalArgumentException("a checkpoint's origin is one non-empty line");
        }
        if (size < 0) {
            throw new IllegalArgumentException("a checkpoint's size is not negative");
        }
        if (root.length != MerkleHash.SIZE) {
            throw new IllegalArgumentException("a checkpoint's root hash has " + MerkleHash.SIZE + " bytes, not " + root.length);
        }
        root = root.clone();
        extensions = List.copyOf(extensions);
        for (String e : extensions) {
            if (e.isEmpty() || e.contains("\n")) {
                throw new IllegalArgumentException("a checkpoint's extension is one non-empty line");
            }
        }
    }

    /** The origin of the checkpoints of the Ballast store {@code storeId}; also the name of the key that signs them. */
    public static String originOf(String storeId) {
        return "ballast.store/" + storeId;
    }

    /** Reads a note's text as a checkpoint; refuses, saying what is wrong, anything else. */
    public static Checkpoint parse(String text) {
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("a checkpoint's text ends with a newline");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        if (lines.length < 3) {
            throw new IllegalArgumentException("a checkpoint has an origin, a size and a root hash line; this one has " + lines.length + " line(s)");
        }
        if (!lines[1].matches("0|[1-9][0-9]{0,18}")) {
            throw new IllegalArgumentException("a checkpoint's size is a decimal number without leading zeros, not '" + lines[1] + "'");
        }
        byte[] root;
        try {
            root = Base64.getDecoder().decode(lines[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a checkpoint's root hash is base64, not '" + lines[2] + "'");
        }
        return new Checkpoint(lines[0], Long.parseLong(lines[1]), root, new ArrayList<>(Arrays.asList(lines).subList(3, lines.length)));
    }

    /** The note text: origin, size, base64 root, extensions, each line ending in a newline. */
    public String text() {
        StringBuilder out = new StringBuilder(origin).append('\n').append(size).append('\n')
                .append(Base64.getEncoder().encodeToString(root)).append('\n');
        extensions.forEach(e -> out.append(e).append('\n'));
        return out.toString();
    }

    @Override
    public byte[] root() {
        return root.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint c && c.origin.equals(origin) && c.size == size && Arrays.equals(c.root, root)
                && c.extensions.equals(extensions);
    }

    @Override
    public int hashCode() {
        return origin.hashCode() * 31 + Long.hashCode(size);
    }
}
