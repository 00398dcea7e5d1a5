package io.ballast.jobs.invalidate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import io.ballast.invalidate.Change;
import io.ballast.invalidate.EdgeChange;
import io.ballast.invalidate.Node;
import io.ballast.invalidate.Visit;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** What the invalidator's operators send each other reads back equal, and copying between views keeps the bytes. */
class ClosureTypesTest {
    private static final Visit VISIT = new Visit(Node.key("item:7"), "item-entity:7", 3, 1_767_225_600_000L,
            List.of("0b9e9c1e-0000-4000-8000-000000000001", "0b9e9c1e-0000-4000-8000-000000000002"));

    @Test
    void changesVisitsAndGraphInputsRoundTrip() throws Exception {
        roundTrip(ClosureTypes.change().createSerializer(new SerializerConfigImpl()),
                List.of(new Change("item-entity:7", 3, 1_767_225_600_000L, "id-1"), new Change("ü:∞", Long.MAX_VALUE, -1, "")));
        roundTrip(ClosureTypes.visit().createSerializer(new SerializerConfigImpl()),
                List.of(VISIT, new Visit(Node.tag("item"), "e", 1, 0, List.of()), new Visit(Node.entity("a|b"), "a|b", 2, 5, List.of("x"))));
        roundTrip(ClosureTypes.graphInput().createSerializer(new SerializerConfigImpl()),
                List.of(GraphInput.of(VISIT), GraphInput.of(new EdgeChange(Node.entity("item-entity:7"), "pair:7", true)),
                        GraphInput.of(new EdgeChange(Node.key("item:7"), "summary:7", false))));
    }

    private static <T> void roundTrip(TypeSerializer<T> serializer, List<T> values) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        for (T value : values) {
            serializer.serialize(value, out);
        }
        byte[] bytes = out.getCopyOfBuffer();
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        for (T value : values) {
            assertEquals(value, serializer.deserialize(in));
        }
        assertEquals(0, in.available());
        DataOutputSerializer copied = new DataOutputSerializer(64);
        DataInputDeserializer again = new DataInputDeserializer(bytes);
        for (int i = 0; i < values.size(); i++) {
            serializer.copy(again, copied);
        }
        assertArrayEquals(bytes, copied.getCopyOfBuffer());
        assertEquals(serializer, serializer.snapshotConfiguration().restoreSerializer());
    }
}
