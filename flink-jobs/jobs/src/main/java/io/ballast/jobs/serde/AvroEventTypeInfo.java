package io.ballast.jobs.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink type information for a generated Avro event class: records travel and sit in state as Avro
 * binary, never through Kryo. (Flink's own {@code AvroTypeInfo} cannot be used: {@code flink-avro}
 * clashes with the relocated classes of the registry client's jar.)
 */
public final class AvroEventTypeInfo<T extends SpecificRecord> extends RecordTypeInfo<T> {
    private static final long serialVersionUID = 1L;

    public AvroEventTypeInfo(Class<T> type) {
        super(type);
    }

    @Override
    public TypeSerializer<T> createSerializer(SerializerConfig config) {
        return new AvroEventSerializer<>(getTypeClass());
    }
}
