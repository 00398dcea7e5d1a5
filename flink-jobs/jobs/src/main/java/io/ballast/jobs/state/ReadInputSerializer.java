package io.ballast.jobs.state;

import java.io.IOException;

import io.ballast.jobs.autoscale.ReadInput;
import io.ballast.rebalance.InputPosition;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** An autoscaler input in {@link InputSerializer}'s form, then where it was read (a presence flag, topic, partition, offset). */
public final class ReadInputSerializer extends ImmutableRecordSerializer<ReadInput> {
    private static final long serialVersionUID = 1L;
    public static final ReadInputSerializer INSTANCE = new ReadInputSerializer();

    @Override
    public void serialize(ReadInput read, DataOutputView out) throws IOException {
        InputSerializer.INSTANCE.serialize(read.input(), out);
        InputPosition p = read.position();
        out.writeBoolean(p != null);
        if (p != null) {
            out.writeUTF(p.topic());
            out.writeInt(p.partition());
            out.writeLong(p.offset());
        }
    }

    @Override
    public ReadInput deserialize(DataInputView in) throws IOException {
        return new ReadInput(InputSerializer.INSTANCE.deserialize(in),
                in.readBoolean() ? new InputPosition(in.readUTF(), in.readInt(), in.readLong()) : null);
    }

    @Override
    public TypeSerializerSnapshot<ReadInput> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores this serializer; the format has one version so far. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ReadInput> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
