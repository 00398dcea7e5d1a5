package io.ballast.jobs.state;

import io.ballast.jobs.serde.RecordTypeInfo;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink type information for small immutable records off the hot path (the rejected-input side output):
 * they travel in their JSON form ({@link io.ballast.autoscale.StateJson}), never through Kryo. Hot
 * types have binary serializers ({@link InputSerializer}, {@link DecisionStateSerializer}).
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
