package io.ballast.jobs.state;

import java.io.IOException;

import io.ballast.autoscale.StateJson;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Serializes an immutable record as length-prefixed JSON in the decision classes' documented form. */
public final class JsonStateSerializer<T> extends TypeSerializer<T> {
    private static final long serialVersionUID = 1L;
    private final Class<T> type;

    public JsonStateSerializer(Class<T> type) {
        this.type = type;
    }

    Class<T> type() {
        return type;
    }

    @Override
    public boolean isImmutableType() {
        // records of immutable lists and maps: sharing an instance is safe
        return true;
    }

    @Override
    public TypeSerializer<T> duplicate() {
        return this;
    }

    @Override
    public T createInstance() {
        return null;
    }

    @Override
    public T copy(T from) {
        return from;
    }

    @Override
    public T copy(T from, T reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(T record, DataOutputView target) throws IOException {
        byte[] json = StateJson.compactMapper().writerFor(type).writeValueAsBytes(record);
        target.writeInt(json.length);
        target.write(json);
    }

    @Override
    public T deserialize(DataInputView source) throws IOException {
        byte[] json = new byte[source.readInt()];
        source.readFully(json);
        return StateJson.compactMapper().readerFor(type).readValue(json);
    }

    @Override
    public T deserialize(T reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        int length = source.readInt();
        target.writeInt(length);
        target.write(source, length);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JsonStateSerializer<?> s && s.type.equals(type);
    }

    @Override
    public int hashCode() {
        return type.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<T> snapshotConfiguration() {
        return new JsonStateSerializerSnapshot<>(type);
    }
}
