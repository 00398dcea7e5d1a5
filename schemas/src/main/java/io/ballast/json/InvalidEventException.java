package io.ballast.json;

/** A JSON event that does not fit its topic's schema; the message names the field path and what was expected. */
public final class InvalidEventException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String path;

    public InvalidEventException(String path, String message) {
        super(path + ": " + message);
        this.path = path;
    }

    /** The JSON path of the offending field, e.g. {@code $.metrics[0].target}. */
    public String path() {
        return path;
    }
}
