package io.ballast.jobs.state;

import java.io.IOException;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.util.InstantiationUtil;

/**
 * What a checkpoint records of a {@link JsonStateSerializer}: the record class. JSON carries its field
 * names, so the state of the same class restores as is; another class is refused.
 */
public final class JsonStateSerializerSnapshot<T> implements TypeSerializerSnapshot<T> {
    private static final int VERSION = 1;
    private Class<T> type;

    /** For Flink's reflective restore. */
    public JsonStateSerializerSnapshot() {
    }

    JsonStateSerializerSnapshot(Class<T> type) {
        this.type = type;
    }

    @Override
    public int getCurrentVersion() {
        return VERSION;
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
        out.writeUTF(type.getName());
    }

    @Override
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) throws IOException {
        type = InstantiationUtil.resolveClassByName(in, classLoader);
    }

    @Override
    public TypeSerializer<T> restoreSerializer() {
        return new JsonStateSerializer<>(type);
    }

    @Override
    public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> oldSnapshot) {
        boolean same = oldSnapshot instanceof JsonStateSerializerSnapshot<T> old && old.type.getName().equals(type.getName());
        return same ? TypeSerializerSchemaCompatibility.compatibleAsIs() : TypeSerializerSchemaCompatibility.incompatible();
    }
}
