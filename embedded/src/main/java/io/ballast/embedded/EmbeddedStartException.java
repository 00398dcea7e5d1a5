package io.ballast.embedded;

/** A part of the embedded platform did not start; the message says which part and why. */
public final class EmbeddedStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EmbeddedStartException(String message) {
        super(message);
    }

    public EmbeddedStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
