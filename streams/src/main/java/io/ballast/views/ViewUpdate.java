package io.ballast.views;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One event as a view sees it.
 *
 * @param part   which part of the view it replaces
 * @param member for nodes and shards, which one; otherwise null
 * @param body   the event as JSON
 * @param at     the event's time (envelope occurredAt), epoch milliseconds: an older event never replaces a newer one
 */
public record ViewUpdate(Part part, String member, JsonNode body, long at) {
    /** The parts of the views. */
    public enum Part { POLICY, REPLICAS, DECISION, NODE, SHARD, PLAN }
}
