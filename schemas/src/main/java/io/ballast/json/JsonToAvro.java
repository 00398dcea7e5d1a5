package io.ballast.json;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Reads plain JSON (no Avro union wrappers) into a generic record of a given schema, strictly: an
 * unknown field, a missing field without a default, a value of the wrong type or out of range is
 * refused with the field's path. Timestamps take epoch milliseconds or ISO-8601 instants; bytes take
 * base64; a union takes null or a value of one of its branches.
 */
public final class JsonToAvro {
    private JsonToAvro() {
    }

    /** Converts {@code json} to a record of {@code schema}. */
    public static GenericRecord read(JsonNode json, Schema schema) {
        return (GenericRecord) convert(json, schema, "$");
    }

    private static Object convert(JsonNode node, Schema schema, String path) {
        switch (schema.getType()) {
            case RECORD:
                return record(node, schema, path);
            case UNION:
                return union(node, schema, path);
            case NULL:
                if (node == null || node.isNull()) {
                    return null;
                }
                throw new InvalidEventException(path, "expected null, got " + describe(node));
            default:
                if (node == null || node.isNull()) {
                    throw new InvalidEventException(path, "must not be null (" + typeName(schema) + ")");
                }
                return scalar(node, schema, path);
        }
    }

    private static GenericRecord record(JsonNode node, Schema schema, String path) {
        if (node == null || !node.isObject()) {
            throw new InvalidEventException(path, "expected an object (" + schema.getName() + "), got " + describe(node));
        }
        Set<String> known = new HashSet<>();
        GenericData.Record record = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
            known.add(field.name());
            String fieldPath = path + "." + field.name();
            JsonNode value = node.get(field.name());
            if (value == null) {
                if (!field.hasDefaultValue()) {
                    throw new InvalidEventException(fieldPath, "missing required field (" + typeName(field.schema()) + ")");
                }
                record.put(field.pos(), GenericData.get().deepCopy(field.schema(), GenericData.get().getDefaultValue(field)));
            } else {
                record.put(field.pos(), convert(value, field.schema(), fieldPath));
            }
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new InvalidEventException(path + "." + name, "unknown field; " + schema.getName() + " has: "
                        + schema.getFields().stream().map(Schema.Field::name).collect(Collectors.joining(", ")));
            }
        }
        return record;
    }

    private static Object union(JsonNode node, Schema schema, String path) {
        if (node == null || node.isNull()) {
            if (schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL)) {
                return null;
            }
            throw new InvalidEventException(path, "must not be null");
        }
        List<InvalidEventException> failures = new ArrayList<>();
        for (Schema branch : schema.getTypes()) {
            if (branch.getType() == Schema.Type.NULL) {
                continue;
            }
            try {
                return convert(node, branch, path);
            } catch (InvalidEventException e) {
                failures.add(e);
            }
        }
        if (failures.size() == 1) {
            throw failures.get(0);
        }
        throw new InvalidEventException(path, "fits none of " + typeName(schema) + ": "
                + failures.stream().map(InvalidEventException::getMessage).collect(Collectors.joining("; ")));
    }

    private static Object scalar(JsonNode node, Schema schema, String path) {
        LogicalType logical = schema.getLogicalType();
        switch (schema.getType()) {
            case STRING:
                if (!node.isTextual()) {
                    throw new InvalidEventException(path, "expected a string, got " + describe(node));
                }
                if (logical instanceof LogicalTypes.Uuid) {
                    try {
                        UUID.fromString(node.asText());
                    } catch (IllegalArgumentException e) {
                        throw new InvalidEventException(path, "expected a UUID, got \"" + node.asText() + "\"");
                    }
                }
                return node.asText();
            case BOOLEAN:
                if (!node.isBoolean()) {
                    throw new InvalidEventException(path, "expected true or false, got " + describe(node));
                }
                return node.booleanValue();
            case INT:
                if (!node.isIntegralNumber() || !node.canConvertToInt()) {
                    throw new InvalidEventException(path, "expected a 32-bit integer, got " + describe(node));
                }
                return node.intValue();
            case LONG:
                return longValue(node, logical, path);
            case FLOAT:
            case DOUBLE:
                if (!node.isNumber()) {
                    throw new InvalidEventException(path, "expected a number, got " + describe(node));
                }
                return schema.getType() == Schema.Type.FLOAT ? (Object) node.floatValue() : (Object) node.doubleValue();
            case ENUM:
                if (!node.isTextual() || !schema.getEnumSymbols().contains(node.asText())) {
                    throw new InvalidEventException(path, "expected one of " + schema.getEnumSymbols() + ", got " + describe(node));
                }
                return new GenericData.EnumSymbol(schema, node.asText());
            case BYTES:
                if (!node.isTextual()) {
                    throw new InvalidEventException(path, "expected base64 text, got " + describe(node));
                }
                try {
                    return ByteBuffer.wrap(Base64.getDecoder().decode(node.asText()));
                } catch (IllegalArgumentException e) {
                    throw new InvalidEventException(path, "expected base64 text: " + e.getMessage());
                }
            case ARRAY:
                if (!node.isArray()) {
                    throw new InvalidEventException(path, "expected an array, got " + describe(node));
                }
                List<Object> items = new ArrayList<>(node.size());
                for (int i = 0; i < node.size(); i++) {
                    items.add(convert(node.get(i), schema.getElementType(), path + "[" + i + "]"));
                }
                return new GenericData.Array<>(schema, items);
            case MAP:
                if (!node.isObject()) {
                    throw new InvalidEventException(path, "expected an object (map), got " + describe(node));
                }
                Map<String, Object> map = new LinkedHashMap<>();
                node.fields().forEachRemaining(e -> map.put(e.getKey(), convert(e.getValue(), schema.getValueType(), path + "." + e.getKey())));
                return map;
            default:
                throw new InvalidEventException(path, "unsupported schema type " + schema.getType());
        }
    }

    private static long longValue(JsonNode node, LogicalType logical, String path) {
        boolean timestamp = logical instanceof LogicalTypes.TimestampMillis;
        if (timestamp && node.isTextual()) {
            try {
                return Instant.parse(node.asText()).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new InvalidEventException(path, "expected epoch milliseconds or an ISO-8601 instant, got \"" + node.asText() + "\"");
            }
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new InvalidEventException(path, timestamp
                    ? "expected epoch milliseconds or an ISO-8601 instant, got " + describe(node)
                    : "expected a 64-bit integer, got " + describe(node));
        }
        return node.longValue();
    }

    static String typeName(Schema schema) {
        return switch (schema.getType()) {
            case UNION -> schema.getTypes().stream().map(JsonToAvro::typeName).collect(Collectors.joining(" or "));
            case RECORD, ENUM -> schema.getName();
            case ARRAY -> "array of " + typeName(schema.getElementType());
            case MAP -> "map of " + typeName(schema.getValueType());
            default -> schema.getLogicalType() != null ? schema.getLogicalType().getName() : schema.getType().getName();
        };
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isNull()) {
            return "null";
        }
        String text = node.toString();
        String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + shown;
    }
}
