package io.ballast.store;

/**
 * What an append expects of its stream, as in EventStoreDB: any state, no stream yet, an existing stream,
 * or an exact last version. As a number: -2 any, -1 no stream, 0 and up exact; below -2 is refused.
 */
public sealed interface ExpectedVersion {
    /** Whatever the stream holds. */
    record Any() implements ExpectedVersion {
        @Override
        public String toString() {
            return "any";
        }
    }

    /** The stream must not exist yet. */
    record NoStream() implements ExpectedVersion {
        @Override
        public String toString() {
            return "noStream";
        }
    }

    /** The stream must hold at least one event. */
    record StreamExists() implements ExpectedVersion {
        @Override
        public String toString() {
            return "streamExists";
        }
    }

    /** The stream's last event must be this version. */
    record Exact(long version) implements ExpectedVersion {
        @Override
        public String toString() {
            return Long.toString(version);
        }
    }

    ExpectedVersion ANY = new Any();
    ExpectedVersion NO_STREAM = new NoStream();
    ExpectedVersion STREAM_EXISTS = new StreamExists();

    /** -2 any, -1 no stream, ≥ 0 exact. */
    static ExpectedVersion of(long number) {
        if (number < -2) {
            throw new IllegalArgumentException("expected version " + number + " is below -2: use -2 (any), -1 (no stream), "
                    + "a version ≥ 0, or the names any, noStream, streamExists");
        }
        return number == -2 ? ANY : number == -1 ? NO_STREAM : new Exact(number);
    }

    /** A number or one of the names any, noStream, streamExists. */
    static ExpectedVersion parse(String text) {
        return switch (text) {
            case "any" -> ANY;
            case "noStream" -> NO_STREAM;
            case "streamExists" -> STREAM_EXISTS;
            default -> {
                try {
                    yield of(Long.parseLong(text));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("expected version '" + text + "' is neither a number nor any, noStream, streamExists", e);
                }
            }
        };
    }

    /** Whether a stream whose last version is {@code current} (-1: none) meets it. */
    default boolean accepts(long current) {
        if (this instanceof Any) {
            return true;
        }
        if (this instanceof NoStream) {
            return current == -1;
        }
        if (this instanceof StreamExists) {
            return current >= 0;
        }
        return ((Exact) this).version() == current;
    }
}
