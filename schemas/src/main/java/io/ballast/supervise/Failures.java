package io.ballast.supervise;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.ballast.registry.RegistryException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * The one place that says whether a failure is transient (a broker, registry or disk that may come back:
 * retrying is the fix) or needs someone to act (a refused credential, a bad setting): it walks the cause
 * chain. Supervised loops retry both, with backoff; the classification decides what their status says.
 */
public final class Failures {
    private Failures() {
    }

    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RetriableException || t instanceof IOException || t instanceof UncheckedIOException
                    || t instanceof java.util.concurrent.TimeoutException || t instanceof org.apache.kafka.common.errors.TimeoutException) {
                return true;
            }
            if (t instanceof RegistryException r && r.isTransient()) {
                return true;
            }
            if (t instanceof org.apache.kafka.common.errors.AuthenticationException
                    || t instanceof org.apache.kafka.common.errors.AuthorizationException) {
                return false;
            }
        }
        return false;
    }

    /** One line for a status or a log: the innermost message that says something, with its type. */
    public static String describe(Throwable failure) {
        Throwable innermost = failure;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                innermost = t;
            }
        }
        String message = innermost.getMessage() == null ? "" : ": " + innermost.getMessage();
        return innermost.getClass().getSimpleName() + message;
    }
}
