package io.ballast.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

/** Turns a failure into the one line a user reads: each distinct message down the cause chain. */
final class ErrorMessages {
    private ErrorMessages() {
    }

    static String of(Throwable e) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null && parts.size() < 4; t = t.getCause()) {
            String message = t.getMessage();
            if (t instanceof ExecutionException || message == null || parts.stream().anyMatch(p -> p.contains(message))) {
                continue;
            }
            parts.add(message);
        }
        return parts.isEmpty() ? e.getClass().getSimpleName() : String.join(": ", parts);
    }
}
