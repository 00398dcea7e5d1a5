package io.ballast.jobs.state;

import java.util.Objects;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink type information for the decision classes' immutable records (states, inputs): they travel and
 * sit in RocksDB in their documented JSON form ({@link io.ballast.autoscale.StateJson}), so what a
 * checkpoint holds is what {@code ballast autoscale evaluate} reads, and Kryo is never involved.
 */
public final class JsonStateTypeInfo<T> extends TypeInformation<T> {
    private static final long serialVersionUID = 1L;
    private final Class<T> type;

    public JsonStateTypeInfo(Class<T> type) {
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
        return new JsonStateSerializer<>(type);
    }

    @Override
    public String toString() {
        return "JsonState<" + type.getName() + ">";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JsonStateTypeInfo<?> info && info.type.equals(type);
    }

    @Override
    public int hashCode() {
        return type.hashCode();
    }

    @Override
    public boolean canEqual(Object other) {
        return other instanceof JsonStateTypeInfo;
    }
}
