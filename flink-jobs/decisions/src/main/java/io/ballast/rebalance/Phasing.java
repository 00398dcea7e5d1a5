package io.ballast.rebalance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups ordered moves into phases: each move goes into the earliest phase in which neither of its nodes
 * already takes part in the per-node limit of moves and the phase's bytes stay within the budget (a move
 * larger than the budget gets a phase of its own).
 */
final class Phasing {
    private Phasing() {
    }

    static List<Plan.Move> phase(List<Plan.Move> ordered, int maxPerNode, long maxBytes) {
        List<Map<String, Integer>> nodes = new ArrayList<>();
        List<Long> bytes = new ArrayList<>();
        List<Plan.Move> phased = new ArrayList<>();
        // a phase that not even the smallest move fits into is closed for good (its bytes only grow): the search
        // for a move's phase starts after the closed ones, else it is quadratic in the moves of a large plan
        long smallest = ordered.stream().mapToLong(Plan.Move::bytes).min().orElse(0);
        int firstOpen = 0;
        for (Plan.Move move : ordered) {
            while (firstOpen < nodes.size() && bytes.get(firstOpen) + smallest > maxBytes) {
                firstOpen++;
            }
            int phase = firstOpen;
            while (phase < nodes.size() && !fits(move, nodes.get(phase), bytes.get(phase), maxPerNode, maxBytes)) {
                phase++;
            }
            if (phase == nodes.size()) {
                nodes.add(new HashMap<>());
                bytes.add(0L);
            }
            nodes.get(phase).merge(move.from(), 1, Integer::sum);
            nodes.get(phase).merge(move.to(), 1, Integer::sum);
            bytes.set(phase, bytes.get(phase) + move.bytes());
            phased.add(new Plan.Move(move.shard(), move.from(), move.to(), move.bytes(), phase + 1, move.reason()));
        }
        phased.sort(java.util.Comparator.comparingInt(Plan.Move::phase));
        return phased;
    }

    private static boolean fits(Plan.Move move, Map<String, Integer> nodes, long bytes, int maxPerNode, long maxBytes) {
        boolean budget = bytes == 0 || bytes + move.bytes() <= maxBytes;
        return budget && nodes.getOrDefault(move.from(), 0) < maxPerNode && nodes.getOrDefault(move.to(), 0) < maxPerNode;
    }
}
