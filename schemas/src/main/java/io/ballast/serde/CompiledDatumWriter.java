package io.ballast.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.AvroTypeException;
import org.apache.avro.Conversion;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.Encoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro's binary encoding of a datum with the decisions Avro's own writers take on every value taken once per
 * schema: the type switch, each field's logical-type conversion, each union's branch for a class already seen.
 * {@code SpecificDatumWriter} spent about 400 ns on a {@code MetricSample} (JMH), most of it in those lookups
 * (generated classes with logical types get no custom coders in Avro 1.12).
 *
 * <p>The bytes are {@code SpecificDatumWriter}'s (with {@link SpecificData}) or {@code GenericDatumWriter}'s
 * (with {@link GenericData}) byte for byte. A value it does not take fails with a {@link RuntimeException}: one
 * Avro refuses too, though not always with Avro's exception, or a rare shape Avro takes (a non-CharSequence in a
 * string field, which specific records may hold for {@code java-class} strings). The caller writes such a value
 * again with Avro's own writer, which gives its bytes or its error, as {@link EventSerializer} does.
 * Thread-safe, as Avro's writers are.
 */
final class CompiledDatumWriter implements DatumWriter<Object> {
    private final Node root;

    private CompiledDatumWriter(Node root) {
        this.root = root;
    }

    /** The writer of {@code schema} in {@code data}'s model (its conversions and its Java types). */
    static CompiledDatumWriter of(Schema schema, GenericData data) {
        return new CompiledDatumWriter(new Compiler(data).node(schema));
    }

    @Override
    public void setSchema(Schema schema) {
        throw new UnsupportedOperationException("a compiled writer is built for one schema");
    }

    @Override
    public void write(Object datum, Encoder out) throws IOException {
        root.write(datum, out);
    }

    /** Writes one value of one schema. */
    @FunctionalInterface
    private interface Node {
        void write(Object value, Encoder out) throws IOException;
    }

    /** Builds the nodes of one writer; a record met again (a recursive schema) reuses its node. */
    private static final class Compiler {
        private final GenericData data;
        private final Map<Schema, RecordNode> records = new HashMap<>();

        Compiler(GenericData data) {
            this.data = data;
        }

        Node node(Schema schema) {
            Node raw = rawNode(schema);
            LogicalType logicalType = schema.getLogicalType();
            return logicalType == null ? raw : converting(schema, logicalType, raw);
        }

        /** As GenericDatumWriter.write: the conversion the model has for the value's class, if any, then the raw type. */
        @SuppressWarnings("unchecked")
        private Node converting(Schema schema, LogicalType logicalType, Node raw) {
            Conversion<Object> usual = (Conversion<Object>) data.getConversionFor(logicalType);
            Class<?> usualType = usual == null ? null : usual.getConvertedType();
            Node converting = (value, out) -> {
                if (value == null) {
                    raw.write(null, out);
                    return;
                }
                Conversion<Object> conversion = value.getClass() == usualType ? usual
                        : (Conversion<Object>) data.getConversionByClass(value.getClass(), logicalType);
                raw.write(conversion == null ? value : Conversions.convertToRawType(value, schema, logicalType, conversion), out);
            };
            if (usual != null && usual.getClass() == TimeConversions.TimestampMillisConversion.class && schema.getType() == Schema.Type.LONG) {
                // every envelope has two of these: Avro's own conversion is Instant.toEpochMilli, here without the boxed
                // Long and the conversion's dispatch (a tenth of encoding a MetricSample)
                return (value, out) -> {
                    if (value instanceof Instant instant) {
                        out.writeLong(instant.toEpochMilli());
                    } else {
                        converting.write(value, out);
                    }
                };
            }
            return converting;
        }

        private Node rawNode(Schema schema) {
            return switch (schema.getType()) {
                case RECORD -> record(schema);
                case ENUM -> enumeration(schema);
                case ARRAY -> array(schema);
                case MAP -> map(schema);
                case UNION -> union(schema);
                case FIXED -> (value, out) -> out.writeFixed(((GenericFixed) value).bytes(), 0, schema.getFixedSize());
                case STRING -> string();
                case BYTES -> (value, out) -> out.writeBytes((ByteBuffer) value);
                case INT -> (value, out) -> out.writeInt(((Number) value).intValue());
                case LONG -> (value, out) -> out.writeLong(((Number) value).longValue());
                case FLOAT -> (value, out) -> out.writeFloat(((Number) value).floatValue());
                case DOUBLE -> (value, out) -> out.writeDouble(((Number) value).doubleValue());
                case BOOLEAN -> (value, out) -> out.writeBoolean((Boolean) value);
                case NULL -> (value, out) -> out.writeNull();
            };
        }

        private Node record(Schema schema) {
            RecordNode known = records.get(schema);
            if (known != null) {
                return known;
            }
            RecordNode record = new RecordNode();
            records.put(schema, record);
            List<Schema.Field> fields = schema.getFields();
            record.fields = new Node[fields.size()];
            for (Schema.Field field : fields) {
                record.fields[field.pos()] = node(field.schema());
            }
            return record;
        }

        /** As Avro: a Java enum's ordinal in the specific model (its constants are the symbols in order), else the symbol's. */
        private Node enumeration(Schema schema) {
            boolean ordinals = data instanceof SpecificData;
            return (value, out) -> {
                if (ordinals && value instanceof Enum<?> e) {
                    out.writeEnum(e.ordinal());
                } else if (value instanceof GenericEnumSymbol<?>) {
                    out.writeEnum(schema.getEnumOrdinal(value.toString()));
                } else {
                    throw new AvroTypeException("not an enum symbol of " + schema.getFullName() + ": " + value);
                }
            };
        }

        /** A CharSequence; anything else (a generated class's "stringable" BigDecimal or URI) fails: Avro's writer takes it. */
        private Node string() {
            return (value, out) -> out.writeString((CharSequence) value);
        }

        private Node array(Schema schema) {
            Node element = node(schema.getElementType());
            return (value, out) -> {
                Collection<?> items = (Collection<?>) value;
                long size = items.size();
                long written = 0;
                out.writeArrayStart();
                out.setItemCount(size);
                for (Object item : items) {
                    out.startItem();
                    element.write(item, out);
                    written++;
                }
                out.writeArrayEnd();
                if (written != size) {
                    throw new ConcurrentModificationException("size of array written was " + size + ", but " + written + " elements were written");
                }
            };
        }

        private Node map(Schema schema) {
            Node values = node(schema.getValueType());
            return (value, out) -> {
                Map<?, ?> entries = (Map<?, ?>) value;
                int size = entries.size();
                int written = 0;
                out.writeMapStart();
                out.setItemCount(size);
                for (Map.Entry<?, ?> entry : entries.entrySet()) {
                    out.startItem();
                    out.writeString(entry.getKey().toString());
                    values.write(entry.getValue(), out);
                    written++;
                }
                out.writeMapEnd();
                if (written != size) {
                    throw new ConcurrentModificationException("size of map written was " + size + ", but " + written + " entries were written");
                }
            };
        }

        private Node union(Schema schema) {
            List<Schema> types = schema.getTypes();
            Node[] branches = new Node[types.size()];
            for (int i = 0; i < branches.length; i++) {
                branches[i] = node(types.get(i));
            }
            Integer nullBranch = schema.getIndexNamed(Schema.Type.NULL.getName());
            return new UnionNode(schema, data, branches, nullBranch == null ? -1 : nullBranch);
        }
    }

    private static final class RecordNode implements Node {
        private Node[] fields;

        @Override
        public void write(Object value, Encoder out) throws IOException {
            IndexedRecord record = (IndexedRecord) value;
            for (int i = 0; i < fields.length; i++) {
                fields[i].write(record.get(i), out);
            }
        }
    }

    /**
     * A union's branch is the model's {@code resolveUnion}, remembered per class for the values whose class alone
     * decides it (Java types, generated records and enums; not generic records, whose schema is per instance).
     */
    private static final class UnionNode implements Node {
        private final Schema schema;
        private final GenericData data;
        private final Node[] branches;
        private final int nullBranch;
        private volatile Map<Class<?>, Integer> known = Map.of();

        UnionNode(Schema schema, GenericData data, Node[] branches, int nullBranch) {
            this.schema = schema;
            this.data = data;
            this.branches = branches;
            this.nullBranch = nullBranch;
        }

        @Override
        public void write(Object value, Encoder out) throws IOException {
            int branch = value == null && nullBranch >= 0 ? nullBranch : branch(value);
            out.writeIndex(branch);
            branches[branch].write(value, out);
        }

        private int branch(Object value) {
            if (value == null || !decidedByClass(value)) {
                return data.resolveUnion(schema, value);
            }
            Integer branch = known.get(value.getClass());
            if (branch == null) {
                branch = data.resolveUnion(schema, value);
                Map<Class<?>, Integer> more = new HashMap<>(known);
                more.put(value.getClass(), branch);
                known = Map.copyOf(more);
            }
            return branch;
        }

        private static boolean decidedByClass(Object value) {
            return !(value instanceof GenericContainer) || value instanceof SpecificRecord || value instanceof Enum<?>;
        }
    }
}
