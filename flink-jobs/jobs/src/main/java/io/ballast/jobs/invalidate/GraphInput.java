package io.ballast.jobs.invalidate;

import io.ballast.invalidate.EdgeChange;
import io.ballast.invalidate.Visit;

/** What reaches a graph node: an edge added or removed at it, or a closure's visit. Exactly one is set. */
public record GraphInput(EdgeChange edge, Visit visit) {

    public static GraphInput of(EdgeChange edge) {
        return new GraphInput(edge, null);
    }

    public static GraphInput of(Visit visit) {
        return new GraphInput(null, visit);
    }

    /** The id of the node it is for: the graph is keyed by it. */
    public String node() {
        return edge != null ? edge.target().id() : visit.node().id();
    }
}
