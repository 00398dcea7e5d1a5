package io.ballast.views;

import com.fasterxml.jackson.databind.JsonNode;

/** A view's part and the event time it is from. */
public record Timed(JsonNode value, long at) {
    static Timed newer(Timed current, ViewUpdate update) {
        return current != null && current.at() > update.at() ? current : new Timed(update.body(), update.at());
    }
}
