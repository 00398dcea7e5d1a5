package io.ballast.invalidate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ClosureTest {

    private static Registration reg(String key, Node... targets) {
        return new Registration(key, Set.of(targets), Registration.NEVER);
    }

    private static Visit change(String entity, long version) {
        return new Visit(Node.entity(entity), entity, version, 1_000, List.of("c" + version));
    }

    @Test
    void keysOnKeysOnEntitiesAndTagsCloseTransitivelyEachKeyOnce() {
        DependencyGraph graph = new DependencyGraph();
        graph.register(reg("entity-view:456", Node.entity("entity:456")));
        graph.register(reg("investigation:123", Node.key("entity-view:456"), Node.entity("entity:456")));
        graph.register(reg("report:9", Node.key("investigation:123")));
        graph.register(reg("entities-list", Node.tag("entity")));
        graph.register(reg("unrelated", Node.entity("entity:457")));

        List<Invalidation> out = graph.close(change("entity:456", 7));
        assertEquals(new Invalidation("entity:456", 7, List.of(), List.of("entity"), List.of("c7"), 1_000), out.get(0));
        List<String> keys = new ArrayList<>();
        out.forEach(i -> keys.addAll(i.keys()));
        assertEquals(List.of("entity-view:456", "investigation:123", "report:9", "entities-list"), keys);
        assertTrue(out.stream().allMatch(i -> i.version() == 7 && i.entity().equals("entity:456")));
    }

    @Test
    void aCycleTerminatesAndEveryKeyOfItIsInvalidatedOnce() {
        DependencyGraph graph = new DependencyGraph();
        graph.register(reg("a", Node.key("c"), Node.entity("e:1")));
        graph.register(reg("b", Node.key("a")));
        graph.register(reg("c", Node.key("b")));
        assertEquals(Set.of("a", "b", "c"), graph.affectedKeys("e:1", 1));
        // the same version again stops at the entity: already closed
        assertEquals(List.of(), graph.close(change("e:1", 1)));
        assertEquals(3, graph.close(change("e:1", 2)).stream().mapToInt(i -> i.keys().size()).sum());
    }

    @Test
    void replacingAndWithdrawingARegistrationMovesItsEdges() {
        DependencyGraph graph = new DependencyGraph();
        graph.register(reg("k", Node.entity("e:1")));
        graph.register(reg("k", Node.entity("e:2")));
        assertEquals(Set.of(), graph.affectedKeys("e:1", 1));
        assertEquals(Set.of("k"), graph.affectedKeys("e:2", 1));
        graph.withdraw("k");
        assertEquals(Set.of(), graph.affectedKeys("e:2", 2));
    }

    @Test
    void registrationsAreValidated() {
        assertEquals(List.of("key: is empty; a registration names the cache key it is for"),
                Registration.violations("", List.of(Node.entity("e:1")), null));
        assertEquals(List.of("dependsOn[1]: key 'k' depends on itself", "ttlSeconds: 0 is not positive; null means until withdrawn"),
                Registration.violations("k", List.of(Node.entity("e:1"), Node.key("k")), 0L));
        assertEquals(List.of("dependsOn[0].ref: is empty"), Registration.violations("k", List.of(Node.tag(" ")), 60L));
        assertEquals(List.of(), Registration.violations("k", List.of(Node.entity("k")), 60L));
    }

    @Test
    void nodesAndVisitsRoundTrip() {
        assertEquals(Node.tag("user"), Node.typeTag("user:42"));
        assertEquals(Node.tag("plain"), Node.typeTag("plain"));
        Visit visit = new Visit(Node.key("a|b:c"), "user:42", 9, 123, List.of("x", "y"));
        assertEquals(visit, VisitCodec.decode(VisitCodec.encode(visit)));
        assertEquals(Node.key("a|b:c"), Node.parse(Node.key("a|b:c").id()));
    }

    /** The closure is exactly reachability over reversed edges, each key once, on random graphs with cycles. */
    @Property(tries = 300)
    void closureIsReachabilityEachKeyOnce(@ForAll @IntRange(min = 1, max = 25) int keys, @ForAll long seed) {
        java.util.Random random = new java.util.Random(seed);
        DependencyGraph graph = new DependencyGraph();
        Map<Node, Set<String>> dependents = new HashMap<>();
        for (int k = 0; k < keys; k++) {
            Set<Node> targets = new HashSet<>();
            int n = random.nextInt(4);
            for (int t = 0; t < n; t++) {
                int which = random.nextInt(keys + 3);
                Node target = which < keys ? Node.key("k" + which) : which == keys ? Node.tag("e") : Node.entity("e:" + (which - keys));
                if (!target.equals(Node.key("k" + k))) {
                    targets.add(target);
                }
            }
            graph.register(reg("k" + k, targets.toArray(Node[]::new)));
            for (Node target : targets) {
                dependents.computeIfAbsent(target, x -> new TreeSet<>()).add("k" + k);
            }
        }
        Set<String> expected = new TreeSet<>();
        List<Node> frontier = new ArrayList<>(List.of(Node.entity("e:1"), Node.tag("e")));
        Set<Node> seen = new HashSet<>(frontier);
        while (!frontier.isEmpty()) {
            Node node = frontier.remove(0);
            for (String key : dependents.getOrDefault(node, Set.of())) {
                expected.add(key);
                if (seen.add(Node.key(key))) {
                    frontier.add(Node.key(key));
                }
            }
        }
        List<String> got = new ArrayList<>();
        graph.close(change("e:1", 5)).forEach(i -> got.addAll(i.keys()));
        assertEquals(expected, new TreeSet<>(got));
        assertEquals(got.size(), new HashSet<>(got).size(), "a key named twice: " + got);
    }
}
