package io.ballast.jobs.state;

import io.ballast.jobs.serde.RecordTypeInfo;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink type information for the decision classes' immutable records (states, inputs): they travel and
 * sit in RocksDB in their documented JSON form ({@link io.ballast.autoscale.StateJson}), so what a
 * checkpoint holds is what {@code ballast autoscale evaluate} reads, and Kryo is never involved.
 */
public final class JsonStateTypeInfo<T> extends RecordTypeInfo<T> {
    private static final long serialVersionUID = 1L;

    public JsonStateTypeInfo(Class<T> type) {
        super(type);
    }

    @Override
    public TypeSerializer<T> createSerializer(SerializerConfig config) {
        return new JsonStateSerializer<>(getTypeClass());
    }
}
