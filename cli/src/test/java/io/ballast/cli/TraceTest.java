package io.ballast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.ballast.json.InvalidEventException;
import org.junit.jupiter.api.Test;

/** Producing a trace: each line to its topic, event times moved to the present by whole 15 s steps. */
class TraceTest {

    @Test
    void theExampleTracesGoToTheirTopics() throws Exception {
        assertEquals(Map.of("ballast.policies", 1, "ballast.replicas", 3, "ballast.metrics.raw", 60), topics("autoscale"));
        assertEquals(Map.of("ballast.nodes", 5, "ballast.shards.load", 6), topics("rebalance"));
    }

    @Test
    void aLineNoTopicTakesIsRefusedWithWhatToGive() {
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> TraceTopics.topicOf(JsonLines.object("{\"colour\": 1}")));
        assertEquals("$: no topic of the catalog takes an event with its fields [colour]: give envelope.type, or --topic", e.getMessage());
    }

    @Test
    void rebasingMovesTheFirstEventIntoTheNext15SecondsKeepingEveryGap() throws Exception {
        List<String> trace = Files.readAllLines(Path.of("..", "examples", "autoscale", "trace.ndjson"));
        Instant now = Instant.parse("2026-12-04T16:00:07.500Z");
        long shift = TimeRebase.shift(trace, now);
        assertEquals(0, shift % 15_000, "whole 15 s steps");
        long first = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli() + shift;
        assertEquals(Instant.parse("2026-12-04T16:00:15Z").toEpochMilli(), first, "the first event within the next 15 s");
        String moved = TimeRebase.apply(trace.get(trace.size() - 1), shift);
        assertEquals(1767225855000L + shift, JsonLines.object(moved).path("envelope").path("occurredAt").asLong(), "the gaps kept");
        assertEquals("{\"no\": \"time\"}", TimeRebase.apply("{\"no\": \"time\"}", shift));
        assertEquals("not json", TimeRebase.apply("not json", shift));
    }

    private static Map<String, Integer> topics(String example) throws Exception {
        Map<String, Integer> counts = new TreeMap<>();
        for (String line : Files.readAllLines(Path.of("..", "examples", example, "trace.ndjson"))) {
            counts.merge(TraceTopics.topicOf(JsonLines.object(line)).name(), 1, Integer::sum);
        }
        return counts;
    }
}
