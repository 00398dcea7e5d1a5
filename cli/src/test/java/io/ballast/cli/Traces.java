package io.ballast.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The example traces as tests produce them: one service renamed, and every event time moved to the present by one
 * shift (as {@code produce --rebase-time} does), so that the trace lies ahead of the watermark that other tests'
 * events on the shared broker have moved, and its halves keep their times when produced separately.
 */
final class Traces {
    private Traces() {
    }

    static List<String> autoscale(String service) throws Exception {
        List<String> trace = Files.readAllLines(Path.of("..", "examples", "autoscale", "trace.ndjson")).stream()
                .map(line -> line.replace("\"checkout", "\"" + service)).toList();
        long shift = TimeRebase.shift(trace, Instant.now());
        return trace.stream().map(line -> TimeRebase.apply(line, shift)).toList();
    }
}
