package io.ballast.rebalance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The planner's primitive structures against the JDK collections they replaced: the same order, the same
 * extremes, the same phases, on random operations.
 */
class OrderStructuresTest {
    @Property(tries = 200)
    void aRankingHasTheExtremesOfATreeSetInTheSameOrder(@ForAll long seed) {
        Random random = new Random(seed);
        int nodes = 1 + random.nextInt(40);
        double[] figure = new double[nodes];
        Ranking ranking = new Ranking(nodes);
        TreeSet<Integer> reference = new TreeSet<>(Comparator.<Integer>comparingDouble(n -> figure[n]).thenComparing(n -> n));
        for (int step = 0; step < 300; step++) {
            int node = random.nextInt(nodes);
            if (reference.contains(node)) {
                reference.remove(node);
                ranking.remove(node);
            } else {
                // few distinct figures, so that ties (broken by index) are common
                figure[node] = random.nextInt(5) / 4.0;
                reference.add(node);
                ranking.add(node, figure[node]);
            }
            assertEquals(reference.isEmpty(), ranking.isEmpty());
            if (!reference.isEmpty()) {
                assertEquals(reference.last(), ranking.last());
            }
            int a = random.nextInt(nodes);
            int b = random.nextInt(nodes);
            assertEquals(extreme(reference.descendingSet(), a, b), ranking.extremeExcluding(true, a, b));
            assertEquals(extreme(reference, a, b), ranking.extremeExcluding(false, a, b));
        }
    }

    private static int extreme(Iterable<Integer> ordered, int a, int b) {
        int looked = 0;
        for (int node : ordered) {
            if (looked++ == 3) {
                break;
            }
            if (node != a && node != b) {
                return node;
            }
        }
        return -1;
    }

    @Property(tries = 100)
    void aKeptOrderIsTheSortOfTheNodesAfterEveryChange(@ForAll long seed) {
        Random random = new Random(seed);
        Placement p = new Placement(RandomClusters.generate(new RandomClusters.Spec(30, 60, 3, 3, RandomClusters.Skew.UNIFORM, 0.5, 0, 1)));
        double[] figure = new double[p.nodes()];
        int[] nodes = p.receiving();
        KeptOrder kept = new KeptOrder(p, nodes, n -> figure[n]);
        for (int step = 0; step < 50; step++) {
            p.version++;
            for (int changes = random.nextInt(4); changes > 0; changes--) {
                int node = nodes[random.nextInt(nodes.length)];
                figure[node] = random.nextInt(6);
                p.changedAt[node] = p.version;
            }
            assertEquals(List.of(java.util.Arrays.stream(NodeOrder.ascending(nodes, figure)).boxed().toArray()),
                    List.of(java.util.Arrays.stream(kept.get()).boxed().toArray()));
        }
    }

    @Property(tries = 200)
    void slotKeysIterateAsATreeSet(@ForAll long seed) {
        Random random = new Random(seed);
        SlotKeys keys = new SlotKeys();
        TreeSet<Long> reference = new TreeSet<>();
        for (int step = 0; step < 200; step++) {
            long key = Placement.slotKey(random.nextInt(50), random.nextInt(3));
            if (random.nextBoolean()) {
                keys.add(key);
                reference.add(key);
            } else {
                keys.remove(key);
                reference.remove(key);
            }
            List<Long> iterated = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                iterated.add(keys.get(i));
            }
            assertEquals(List.copyOf(reference), iterated);
        }
    }

    @Property(tries = 200)
    void phasesAreThoseOfTheSearchFromTheFirstPhase(@ForAll long seed) {
        Random random = new Random(seed);
        List<Plan.Move> moves = new ArrayList<>();
        for (int i = 0; i < random.nextInt(60); i++) {
            moves.add(new Plan.Move("s" + i, "n" + random.nextInt(8), "m" + random.nextInt(8), 1 + random.nextInt(30), 0, "r"));
        }
        int perNode = 1 + random.nextInt(3);
        long budget = 10 + random.nextInt(60);
        assertEquals(searchedFromTheFirstPhase(moves, perNode, budget), Phasing.phase(moves, perNode, budget));
    }

    /** Phasing as it was before closed phases were skipped: every move's search starts at the first phase. */
    private static List<Plan.Move> searchedFromTheFirstPhase(List<Plan.Move> ordered, int maxPerNode, long maxBytes) {
        List<Map<String, Integer>> nodes = new ArrayList<>();
        List<Long> bytes = new ArrayList<>();
        List<Plan.Move> phased = new ArrayList<>();
        for (Plan.Move move : ordered) {
            int phase = 0;
            while (phase < nodes.size() && !(nodes.get(phase).getOrDefault(move.from(), 0) < maxPerNode
                    && nodes.get(phase).getOrDefault(move.to(), 0) < maxPerNode
                    && (bytes.get(phase) == 0 || bytes.get(phase) + move.bytes() <= maxBytes))) {
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
        phased.sort(Comparator.comparingInt(Plan.Move::phase));
        return phased;
    }
}
