package io.ballast.jobs.state;

import java.io.IOException;
import java.time.Instant;

import io.ballast.autoscale.Input;
import io.ballast.autoscale.StateJson;
import io.ballast.events.InstancePhase;
import io.ballast.events.MetricKind;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The autoscaler's inputs in binary: samples and replica statuses field by field (they are the hot
 * path: one per record read), policies in their JSON form (rare, and nested). Enums are written by
 * name, so adding a symbol never shifts what a checkpoint holds.
 */
public final class InputSerializer extends ImmutableRecordSerializer<Input> {
    private static final long serialVersionUID = 1L;
    public static final InputSerializer INSTANCE = new InputSerializer();
    private static final byte POLICY = 0;
    private static final byte REPLICAS = 1;
    private static final byte SAMPLE = 2;
    /** A replica status with its instance list: a tag of its own, so that inputs written before lists existed still read. */
    private static final byte REPLICAS_LISTED = 3;

    @Override
    public void serialize(Input input, DataOutputView out) throws IOException {
        if (input instanceof Input.Sample s) {
            out.writeByte(SAMPLE);
            out.writeLong(s.at().toEpochMilli());
            out.writeUTF(s.service());
            out.writeUTF(s.instance());
            out.writeUTF(s.metric());
            out.writeUTF(s.kind().name());
            out.writeDouble(s.value());
            out.writeUTF(s.unit());
            out.writeUTF(s.phase().name());
            out.writeBoolean(s.ready());
            out.writeBoolean(s.deleted());
            writeInstant(s.startedAt(), out);
            writeInstant(s.readinessChangedAt(), out);
            out.writeBoolean(s.request() != null);
            if (s.request() != null) {
                out.writeDouble(s.request());
            }
        } else if (input instanceof Input.ReplicaChange r) {
            out.writeByte(r.instances() == null ? REPLICAS : REPLICAS_LISTED);
            out.writeLong(r.at().toEpochMilli());
            out.writeUTF(r.service());
            out.writeInt(r.spec());
            out.writeInt(r.status());
            out.writeInt(r.ready());
            writeInstant(r.lastScaleTime(), out);
            if (r.instances() != null) {
                writeNames(r.instances(), out);
            }
        } else {
            out.writeByte(POLICY);
            byte[] json = StateJson.compactMapper().writerFor(Input.class).writeValueAsBytes(input);
            out.writeInt(json.length);
            out.write(json);
        }
    }

    @Override
    public Input deserialize(DataInputView in) throws IOException {
        byte tag = in.readByte();
        if (tag == SAMPLE) {
            return new Input.Sample(Instant.ofEpochMilli(in.readLong()), in.readUTF(), in.readUTF(), in.readUTF(),
                    MetricKind.valueOf(in.readUTF()), in.readDouble(), in.readUTF(), InstancePhase.valueOf(in.readUTF()),
                    in.readBoolean(), in.readBoolean(), readInstant(in), readInstant(in), in.readBoolean() ? in.readDouble() : null);
        }
        if (tag == REPLICAS || tag == REPLICAS_LISTED) {
            return new Input.ReplicaChange(Instant.ofEpochMilli(in.readLong()), in.readUTF(), in.readInt(), in.readInt(), in.readInt(),
                    readInstant(in), tag == REPLICAS_LISTED ? readNames(in) : null);
        }
        byte[] json = new byte[in.readInt()];
        in.readFully(json);
        return StateJson.compactMapper().readerFor(Input.class).readValue(json);
    }

    @Override
    public TypeSerializerSnapshot<Input> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores this serializer; the format has one version so far. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Input> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
