package io.ballast.jobs.state;

import io.ballast.autoscale.Input;
import io.ballast.jobs.serde.RecordTypeInfo;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Type information of the autoscaler's inputs: {@link InputSerializer}'s binary form. */
public final class InputTypeInfo extends RecordTypeInfo<Input> {
    private static final long serialVersionUID = 1L;

    public InputTypeInfo() {
        super(Input.class);
    }

    @Override
    public TypeSerializer<Input> createSerializer(SerializerConfig config) {
        return InputSerializer.INSTANCE;
    }
}
