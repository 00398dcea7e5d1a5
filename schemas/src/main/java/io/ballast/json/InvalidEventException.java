package io.ballast.json;

/** A JSON event that does not fit its topic's schema; the message names the field path and what was expected. */
public final class InvalidEventException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String path;
    private final String detail;

    public InvalidEventException(String path, String detail) {
        super(path + ": " + detail);
        this.path = path;
        this.detail = detail;
    }

    /** What is wrong, without the path. */
    public String detail() {
        return detail;
    }

    /** The JSON path of the offending field, e.g. {@code $.metrics[0].target}. */
    public String path() {
        return path;
    }
}
