package io.ballast.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Flink's error answers (a stack trace per error, several causes deep) as the one line a user acts on: the
 * job main's own message when it refused to start, the missing savepoint, or the root cause.
 */
final class FlinkErrors {
    private static final String MAIN_FAILED = "The main method caused an error: ";
    private static final String NO_SAVEPOINT = "Cannot find checkpoint or savepoint file/directory";

    private FlinkErrors() {
    }

    /** An error answer of the REST API. */
    static String describe(int status, JsonNode body) {
        StringBuilder all = new StringBuilder();
        for (JsonNode error : body.path("errors")) {
            all.append(error.asText()).append('\n');
        }
        String text = all.length() > 0 ? all.toString() : body.toString();
        String savepoint = savepointMissing(text);
        if (savepoint != null) {
            return savepoint;
        }
        int main = text.lastIndexOf(MAIN_FAILED);
        if (main >= 0) {
            String refusal = firstLine(text.substring(main + MAIN_FAILED.length()));
            // the main's own words, unless it only says that Flink could not execute the job: then Flink's root cause
            return refusal.startsWith("Failed to execute job") ? "the job failed to start: " + innermost(text)
                    : "the job refused to start: " + refusal;
        }
        return "Flink answered " + status + ": " + rootCause(text);
    }

    /** The innermost cause of a stack trace, one line, without the exception's package. */
    static String rootCause(String trace) {
        if (trace == null || trace.isBlank()) {
            return "";
        }
        String savepoint = savepointMissing(trace);
        if (savepoint != null) {
            return savepoint;
        }
        int main = trace.lastIndexOf(MAIN_FAILED);
        if (main >= 0) {
            return firstLine(trace.substring(main + MAIN_FAILED.length()));
        }
        return innermost(trace);
    }

    /** The last {@code Caused by} of a trace, one line, the exception without its package. */
    private static String innermost(String trace) {
        int cause = trace.lastIndexOf("Caused by: ");
        String line = firstLine(cause >= 0 ? trace.substring(cause + "Caused by: ".length()) : trace);
        int colon = line.indexOf(": ");
        String type = colon > 0 ? line.substring(0, colon) : line;
        String simple = type.contains(".") && !type.contains(" ") ? type.substring(type.lastIndexOf('.') + 1) : type;
        return colon > 0 ? simple + ": " + line.substring(colon + 2) : simple;
    }

    private static String savepointMissing(String text) {
        int at = text.indexOf(NO_SAVEPOINT);
        if (at < 0) {
            return null;
        }
        String line = firstLine(text.substring(at));
        int quote = line.indexOf('\'');
        int end = quote >= 0 ? line.indexOf('\'', quote + 1) : -1;
        String path = end > quote ? line.substring(quote + 1, end) : line;
        return "there is no savepoint at " + path + " (as the JobManager sees it): give the location 'ballast jobs savepoint' or"
                + " 'ballast jobs stop' printed";
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return (newline >= 0 ? text.substring(0, newline) : text).trim();
    }
}
