package io.ballast.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The archived inputs and recorded decisions of one decision class in an event-time range, read from the store page by
 * page in event-time order, and the store positions the inputs span.
 */
record ArchiveRange(List<JsonNode> inputs, List<JsonNode> recorded, long fromPosition, long toPosition) {
    private static final int PAGE = 2000;

    /** What the store refused to serve. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    static ArchiveRange read(StoreClient store, DecisionReplay replay, Instant from, Instant to) throws StoreClient.Unreachable, Refused {
        List<JsonNode> inputs = new ArrayList<>();
        List<JsonNode> recorded = new ArrayList<>();
        long first = -1;
        long last = -1;
        Instant at = from;
        long position = 0;
        while (true) {
            StoreClient.Answer page = store.get("/time?from=" + at + "&position=" + position + "&to=" + to + "&max=" + PAGE);
            if (!page.ok()) {
                throw new Refused(page.error());
            }
            for (JsonNode e : page.body()) {
                String t = e.path("type").asText();
                if (replay.inputTypes().contains(t)) {
                    inputs.add(e);
                    long p = e.path("position").asLong();
                    first = first < 0 ? p : Math.min(first, p);
                    last = Math.max(last, p);
                } else if (t.equals(replay.decisionType())) {
                    recorded.add(e);
                }
            }
            if (page.body().size() < PAGE) {
                return new ArchiveRange(inputs, recorded, first, last);
            }
            JsonNode lastEvent = page.body().get(page.body().size() - 1);
            at = Instant.parse(lastEvent.path("occurredAt").asText());
            position = lastEvent.path("position").asLong() + 1;
        }
    }
}
