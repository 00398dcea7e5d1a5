package io.ballast.invalidate;

import java.util.Objects;

/**
 * A node of the dependency graph: an entity of a source of truth, a cache key or a tag. Entities, keys
 * and tags are separate name spaces ({@code user:42} the entity and {@code user:42} the key are two nodes),
 * so a node is named by its kind and its reference: {@link #id()}.
 */
public record Node(Kind kind, String ref) {
    /** What a node stands for. */
    public enum Kind {
        ENTITY('E'), KEY('K'), TAG('T');

        private final char letter;

        Kind(char letter) {
            this.letter = letter;
        }
    }

    public Node {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(ref, "ref");
    }

    public static Node entity(String ref) {
        return new Node(Kind.ENTITY, ref);
    }

    public static Node key(String ref) {
        return new Node(Kind.KEY, ref);
    }

    public static Node tag(String ref) {
        return new Node(Kind.TAG, ref);
    }

    /** The tag every change of an entity invalidates: its type, the part before the first ':' ({@code user} for {@code user:42}). */
    public static Node typeTag(String entity) {
        int colon = entity.indexOf(':');
        return tag(colon > 0 ? entity.substring(0, colon) : entity);
    }

    /** The node's name across kinds: {@code E|user:42}, {@code K|profile:42}, {@code T|user}. */
    public String id() {
        return kind.letter + "|" + ref;
    }

    /** The node named by {@link #id()}. */
    public static Node parse(String id) {
        if (id.length() < 2 || id.charAt(1) != '|') {
            throw new IllegalArgumentException("not a node id: '" + id + "'");
        }
        for (Kind kind : Kind.values()) {
            if (kind.letter == id.charAt(0)) {
                return new Node(kind, id.substring(2));
            }
        }
        throw new IllegalArgumentException("not a node id: '" + id + "'");
    }

    @Override
    public String toString() {
        return id();
    }
}
