package io.ballast.store;

/** An append refused for its content (empty stream name, too large, an event id used elsewhere); nothing was written. */
public final class InvalidAppendException extends RuntimeException {
    public InvalidAppendException(String message) {
        super(message);
    }
}
