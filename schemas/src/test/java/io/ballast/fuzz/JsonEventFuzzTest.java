package io.ballast.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ballast.catalog.TopicSpec;
import io.ballast.catalog.Topics;
import io.ballast.catalog.ValueFormat;
import io.ballast.json.EnvelopeDefaults;
import io.ballast.json.InvalidEventException;
import io.ballast.json.JsonEvents;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import io.ballast.serde.EventSerializer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * JSON to Avro as {@code produce} and the store's API take events, on hostile JSON: random trees built over
 * each topic's own field names (so they reach deep into the schema), with values of every JSON type and
 * edge (huge numbers, empty and odd strings, nesting). Each is encoded, or refused with an
 * {@link InvalidEventException} that names a path and says what is wrong; nothing else is thrown.
 */
class JsonEventFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EventSerializer<GenericRecord> SERIALIZER =
            new EventSerializer<>(RegistryClient.connect(RegistryConfig.of("mock://fuzz-json")));
    private static final EnvelopeDefaults DEFAULTS = new EnvelopeDefaults("fuzz", Clock.systemUTC(), UUID::randomUUID);
    private static final List<TopicSpec> TOPICS = Topics.all().stream().filter(t -> t.value() instanceof ValueFormat.Avro).toList();

    @Property
    void randomEventsOverTheSchemasFields(@ForAll("topics") TopicSpec topic, @ForAll("seeds") long seed) {
        Schema schema = ((ValueFormat.Avro) topic.value()).schema();
        JsonNode tree = tree(schema, new Random(seed), 0);
        ObjectNode event = tree instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode().set("value", tree);
        encodesOrNamesThePath(topic, event);
    }

    @Property
    void anyJsonText(@ForAll("topics") TopicSpec topic, @ForAll("texts") String text) {
        JsonNode parsed;
        try {
            parsed = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return;
        }
        if (parsed instanceof ObjectNode event) {
            encodesOrNamesThePath(topic, event);
        }
    }

    private static void encodesOrNamesThePath(TopicSpec topic, ObjectNode event) {
        try {
            assertNotNull(JsonEvents.encode(topic, event, DEFAULTS, SERIALIZER).value());
        } catch (InvalidEventException e) {
            assertNotNull(e.getMessage());
            assertFalse(e.getMessage().isBlank());
        }
    }

    @Provide
    Arbitrary<TopicSpec> topics() {
        return Arbitraries.of(TOPICS);
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(200),
                Arbitraries.strings().withChars("{}[]\":,0123456789.eE-+truefalsn \\u").ofMaxLength(200).map(s -> "{" + s));
    }

    /** A JSON value shaped mostly like {@code schema} (its field names, often the right kinds), with random departures. */
    static JsonNode tree(Schema schema, Random random, int depth) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (depth > 6 || random.nextInt(10) == 0) {
            return leaf(random);
        }
        switch (schema.getType()) {
            case RECORD -> {
                ObjectNode o = f.objectNode();
                for (Schema.Field field : schema.getFields()) {
                    if (random.nextInt(5) > 0) {
                        o.set(field.name(), tree(field.schema(), random, depth + 1));
                    }
                }
                if (random.nextInt(8) == 0) {
                    o.set("unexpected" + random.nextInt(3), leaf(random));
                }
                return o;
            }
            case UNION -> {
                List<Schema> types = schema.getTypes();
                return tree(types.get(random.nextInt(types.size())), random, depth);
            }
            case ARRAY -> {
                ArrayNode a = f.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    a.add(tree(schema.getElementType(), random, depth + 1));
                }
                return a;
            }
            case MAP -> {
                ObjectNode o = f.objectNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    o.set("k" + i, tree(schema.getValueType(), random, depth + 1));
                }
                return o;
            }
            case ENUM -> {
                List<String> symbols = new ArrayList<>(schema.getEnumSymbols());
                symbols.add("NOT_A_SYMBOL");
                return f.textNode(symbols.get(random.nextInt(symbols.size())));
            }
            default -> {
                return leaf(random);
            }
        }
    }

    private static JsonNode leaf(Random random) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (random.nextInt(14)) {
            case 0 -> f.nullNode();
            case 1 -> f.booleanNode(random.nextBoolean());
            case 2 -> f.numberNode(random.nextInt());
            case 3 -> f.numberNode(random.nextLong());
            case 4 -> f.numberNode(random.nextDouble() * 1e308);
            case 5 -> f.numberNode(new java.math.BigInteger(200, random));
            case 6 -> f.numberNode(new java.math.BigDecimal("1e400"));
            case 7 -> f.textNode("");
            case 8 -> f.textNode("2026-01-01T00:00:00Z");
            case 9 -> f.textNode(UUID.randomUUID().toString());
            case 10 -> f.textNode("\u0000\n\uFFFF" + random.nextInt());
            case 11 -> f.arrayNode().add(random.nextInt());
            case 12 -> f.objectNode().put("x", random.nextInt());
            default -> f.numberNode(-random.nextDouble());
        };
    }
}
