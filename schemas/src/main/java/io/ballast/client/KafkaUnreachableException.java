package io.ballast.client;

/** Kafka cannot be used with the client configuration given: the message says at which address and what to set. */
public final class KafkaUnreachableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KafkaUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
