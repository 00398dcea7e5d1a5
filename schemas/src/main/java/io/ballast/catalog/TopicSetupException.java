package io.ballast.catalog;

/** Topics could not be created or described. */
public final class TopicSetupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TopicSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
