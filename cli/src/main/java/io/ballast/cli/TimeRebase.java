package io.ballast.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.OptionalLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ballast.json.InvalidEventException;

/**
 * Moves a trace's event times ({@code envelope.occurredAt}) to the present, keeping every gap, so that an example
 * trace recorded at a fixed date is not behind the watermark of a platform that has already seen live events. The
 * shift is a whole number of 15 s steps (so events keep their place within the autoscaler's sync periods) that
 * brings the trace's first event within the next 15 s: the trace lies ahead of every watermark.
 */
final class TimeRebase {
    private static final long STEP = Duration.ofSeconds(15).toMillis();

    private TimeRebase() {
    }

    /** The shift that brings the earliest event time among {@code lines} within the 15 s after {@code now}; 0 when none has one. */
    static long shift(List<String> lines, Instant now) {
        long earliest = Long.MAX_VALUE;
        for (String line : lines) {
            OptionalLong at = occurredAt(line);
            if (at.isPresent()) {
                earliest = Math.min(earliest, at.getAsLong());
            }
        }
        if (earliest == Long.MAX_VALUE) {
            return 0;
        }
        return -Math.floorDiv(earliest - now.toEpochMilli(), STEP) * STEP;
    }

    /** The line with its event time moved by {@code shift}; a line without one, or not an event, unchanged. */
    static String apply(String line, long shift) {
        OptionalLong at = occurredAt(line);
        if (at.isEmpty() || shift == 0) {
            return line;
        }
        ObjectNode event = JsonLines.object(line);
        ((ObjectNode) event.get("envelope")).put("occurredAt", at.getAsLong() + shift);
        return event.toString();
    }

    private static OptionalLong occurredAt(String line) {
        if (line.isBlank()) {
            return OptionalLong.empty();
        }
        try {
            JsonNode at = JsonLines.object(line).path("envelope").path("occurredAt");
            if (at.isIntegralNumber()) {
                return OptionalLong.of(at.asLong());
            }
            if (at.isTextual()) {
                return OptionalLong.of(Instant.parse(at.asText()).toEpochMilli());
            }
        } catch (InvalidEventException | DateTimeParseException e) {
            // not an event, or no usable time: produce reports it, rebasing leaves it alone
        }
        return OptionalLong.empty();
    }
}
