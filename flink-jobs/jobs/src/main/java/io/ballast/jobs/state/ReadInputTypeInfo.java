package io.ballast.jobs.state;

import io.ballast.jobs.autoscale.ReadInput;
import io.ballast.jobs.serde.RecordTypeInfo;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Type information of the autoscaler's inputs as read: {@link ReadInputSerializer}'s binary form. */
public final class ReadInputTypeInfo extends RecordTypeInfo<ReadInput> {
    private static final long serialVersionUID = 1L;

    public ReadInputTypeInfo() {
        super(ReadInput.class);
    }

    @Override
    public TypeSerializer<ReadInput> createSerializer(SerializerConfig config) {
        return ReadInputSerializer.INSTANCE;
    }
}
