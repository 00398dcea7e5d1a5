package io.ballast.json;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;

/**
 * Writes Avro records as the plain JSON that {@link JsonToAvro} reads back: no union wrappers,
 * timestamps as epoch milliseconds, bytes as base64.
 */
public final class AvroToJson {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private AvroToJson() {
    }

    /** The record as a JSON object. */
    public static ObjectNode write(IndexedRecord record) {
        return (ObjectNode) value(record, record.getSchema());
    }

    /** The union's branch of the datum; a generated class holds a nullable timestamp as an Instant, which Avro's generic data cannot place. */
    private static int branch(Schema union, Object datum) {
        if (datum instanceof java.time.Instant) {
            for (int i = 0; i < union.getTypes().size(); i++) {
                if (union.getTypes().get(i).getType() == Schema.Type.LONG) {
                    return i;
                }
            }
        }
        return GenericData.get().resolveUnion(union, datum);
    }

    private static JsonNode value(Object datum, Schema schema) {
        if (datum == null) {
            return JSON.nullNode();
        }
        switch (schema.getType()) {
            case RECORD: {
                IndexedRecord record = (IndexedRecord) datum;
                ObjectNode object = JSON.objectNode();
                for (Schema.Field field : schema.getFields()) {
                    object.set(field.name(), value(record.get(field.pos()), field.schema()));
                }
                return object;
            }
            case UNION:
                return value(datum, schema.getTypes().get(branch(schema, datum)));
            case ARRAY: {
                ArrayNode array = JSON.arrayNode();
                for (Object item : (Iterable<?>) datum) {
                    array.add(value(item, schema.getElementType()));
                }
                return array;
            }
            case MAP: {
                ObjectNode object = JSON.objectNode();
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) datum).entrySet()) {
                    object.set(entry.getKey().toString(), value(entry.getValue(), schema.getValueType()));
                }
                return object;
            }
            case BYTES: {
                ByteBuffer buffer = ((ByteBuffer) datum).duplicate();
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                return JSON.textNode(Base64.getEncoder().encodeToString(bytes));
            }
            case INT:
                return JSON.numberNode(((Number) datum).intValue());
            case LONG:
                return JSON.numberNode(datum instanceof java.time.Instant instant ? instant.toEpochMilli() : ((Number) datum).longValue());
            case FLOAT:
            case DOUBLE:
                return JSON.numberNode(((Number) datum).doubleValue());
            case BOOLEAN:
                return JSON.booleanNode((Boolean) datum);
            default:
                return JSON.textNode(datum.toString());
        }
    }
}
