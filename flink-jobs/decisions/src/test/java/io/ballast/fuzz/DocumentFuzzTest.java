package io.ballast.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ballast.autoscale.StateJson;
import io.ballast.rebalance.ClusterJson;
import io.ballast.rebalance.InvalidClusterException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The documents people hand to {@code ballast rebalance plan} (a cluster, goals) and {@code ballast autoscale
 * evaluate} (a state), fuzzed: the README's examples with values replaced by every JSON type and edge, fields
 * removed and added, and arbitrary text. Each is read, or refused with the reader's own exception saying where
 * (InvalidClusterException with its problems; Jackson's mapping exception with its path); nothing else escapes.
 */
class DocumentFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode CLUSTER = example("rebalance/cluster.json");
    private static final JsonNode STATE = example("autoscale/state.json");

    private static JsonNode example(String name) {
        try {
            return JSON.readTree(Files.readString(Path.of("..", "..", "examples", name)));
        } catch (IOException e) {
            throw new IllegalStateException("the example " + name + " is where the README says", e);
        }
    }

    @Property
    void mutatedClusters(@ForAll("seeds") long seed) throws IOException {
        readCluster(mutate(CLUSTER, new Random(seed)).toString());
    }

    @Property
    void mutatedStates(@ForAll("seeds") long seed) {
        readState(mutate(STATE, new Random(seed)).toString());
    }

    @Property
    void anyText(@ForAll("texts") String text) throws IOException {
        readCluster(text);
        readState(text);
    }

    private static void readCluster(String json) throws IOException {
        try {
            assertNotNull(ClusterJson.readCluster(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))));
        } catch (InvalidClusterException e) {
            assertFalse(e.getMessage() == null || e.getMessage().isBlank());
        }
        try {
            assertNotNull(ClusterJson.readGoals(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))));
        } catch (InvalidClusterException e) {
            assertFalse(e.getMessage() == null || e.getMessage().isBlank());
        }
    }

    private static void readState(String json) {
        try {
            StateJson.readRequest(json);
        } catch (JsonProcessingException e) {
            assertFalse(e.getOriginalMessage() == null || e.getOriginalMessage().isBlank());
        }
    }

    /** Found by {@link #mutatedClusters}: a null replica (or node, or shard) was a NullPointerException, not a problem named. */
    @net.jqwik.api.Example
    void aNullReplicaIsAProblemNamedWithItsPlace() throws IOException {
        ObjectNode cluster = CLUSTER.deepCopy();
        ((ArrayNode) cluster.get("shards").get(0).get("replicas")).set(0, JsonNodeFactory.instance.nullNode());
        ((ArrayNode) cluster.get("nodes")).set(1, JsonNodeFactory.instance.nullNode());
        InvalidClusterException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidClusterException.class,
                () -> ClusterJson.readCluster(new ByteArrayInputStream(cluster.toString().getBytes(StandardCharsets.UTF_8))));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("nodes[1]: null")
                && e.getMessage().contains("replicas[0] is null"), e.getMessage());
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(200),
                Arbitraries.strings().withChars("{}[]\":,0123456789.eE-+truefalsn ").ofMaxLength(200).map(s -> "{" + s));
    }

    /** A deep copy with 1 to 4 random changes: a value replaced, a field removed, a field added, an array emptied. */
    static JsonNode mutate(JsonNode original, Random random) {
        JsonNode copy = original.deepCopy();
        for (int changes = 1 + random.nextInt(4); changes > 0; changes--) {
            List<JsonNode> containers = new ArrayList<>();
            collect(copy, containers);
            JsonNode target = containers.get(random.nextInt(containers.size()));
            if (target instanceof ObjectNode o && o.size() > 0) {
                List<String> names = new ArrayList<>();
                o.fieldNames().forEachRemaining(names::add);
                String name = names.get(random.nextInt(names.size()));
                switch (random.nextInt(3)) {
                    case 0 -> o.remove(name);
                    case 1 -> o.set("extra" + random.nextInt(3), leaf(random));
                    default -> o.set(name, leaf(random));
                }
            } else if (target instanceof ArrayNode a && a.size() > 0) {
                if (random.nextBoolean()) {
                    a.set(random.nextInt(a.size()), leaf(random));
                } else {
                    a.removeAll();
                }
            }
        }
        return copy;
    }

    private static void collect(JsonNode node, List<JsonNode> out) {
        if (node.isContainerNode()) {
            out.add(node);
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                collect(it.next().getValue(), out);
            }
            if (node.isArray()) {
                node.forEach(child -> collect(child, out));
            }
        }
    }

    private static JsonNode leaf(Random random) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (random.nextInt(14)) {
            case 0 -> f.nullNode();
            case 1 -> f.booleanNode(random.nextBoolean());
            case 2 -> f.numberNode(random.nextInt());
            case 3 -> f.numberNode(-1);
            case 4 -> f.numberNode(0);
            case 5 -> f.numberNode(Double.MAX_VALUE);
            case 6 -> f.numberNode(new java.math.BigInteger(100, random));
            case 7 -> f.textNode("");
            case 8 -> f.textNode("2026-01-01T00:00:00Z");
            case 9 -> f.textNode("NaN");
            case 10 -> f.textNode("\u0000" + random.nextInt());
            case 11 -> f.arrayNode().add(random.nextInt());
            case 12 -> f.objectNode().put("x", random.nextInt());
            default -> f.numberNode(-random.nextDouble() * 1e12);
        };
    }
}
