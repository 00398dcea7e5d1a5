package io.ballast.jobs.serde;

import java.util.Objects;

import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink type information for a generated Avro event class: records travel and sit in state as Avro
 * binary, never through Kryo. (Flink's own {@code AvroTypeInfo} cannot be used: {@code flink-avro}
 * clashes with the relocated classes of the registry client's jar.)
 */
public final class AvroEventTypeInfo<T extends SpecificRecord> extends TypeInformation<T> {
    private static final long serialVersionUID = 1L;
    private final Class<T> type;

    public AvroEventTypeInfo(Class<T> type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<T> getTypeClass() {
        return type;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<T> createSerializer(SerializerConfig config) {
        return new AvroEventSerializer<>(type);
    }

    @Override
    public String toString() {
        return "AvroEvent<" + type.getName() + ">";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AvroEventTypeInfo<?> info && info.type.equals(type);
    }

    @Override
    public int hashCode() {
        return type.hashCode();
    }

    @Override
    public boolean canEqual(Object other) {
        return other instanceof AvroEventTypeInfo;
    }
}
