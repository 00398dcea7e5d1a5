package io.ballast.rebalance;

import java.util.List;

/** A cluster model or goals document the planner refuses; each problem names the offending entry. */
public final class InvalidClusterException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final transient List<String> problems;

    public InvalidClusterException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
