package io.ballast.jobs.state;

import io.ballast.autoscale.DecisionState;
import io.ballast.jobs.serde.RecordTypeInfo;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Type information of a service's decision state: {@link DecisionStateSerializer}'s binary form. */
public final class DecisionStateTypeInfo extends RecordTypeInfo<DecisionState> {
    private static final long serialVersionUID = 1L;

    public DecisionStateTypeInfo() {
        super(DecisionState.class);
    }

    @Override
    public TypeSerializer<DecisionState> createSerializer(SerializerConfig config) {
        return DecisionStateSerializer.INSTANCE;
    }
}
