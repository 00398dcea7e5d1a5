package io.ballast.jobs.invalidate;

import java.io.IOException;

import io.ballast.invalidate.Change;
import io.ballast.invalidate.EdgeChange;
import io.ballast.invalidate.Node;
import io.ballast.invalidate.Visit;
import io.ballast.invalidate.VisitCodec;
import io.ballast.jobs.serde.RecordTypeInfo;
import io.ballast.jobs.state.ImmutableRecordSerializer;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Binary type information of what the invalidator sends between its operators: changes, visits and graph inputs.
 * They cross the network once or twice per change and per visit (JSON there took about a fifth of the job's task
 * time); none is kept in state, so their form may change between versions (a savepoint holds no records in flight).
 */
public final class ClosureTypes {
    private ClosureTypes() {
    }

    public static RecordTypeInfo<Change> change() {
        return new Info<>(Change.class, ChangeSerializer.INSTANCE);
    }

    public static RecordTypeInfo<Visit> visit() {
        return new Info<>(Visit.class, VisitSerializer.INSTANCE);
    }

    public static RecordTypeInfo<GraphInput> graphInput() {
        return new Info<>(GraphInput.class, GraphInputSerializer.INSTANCE);
    }

    private static final class Info<T> extends RecordTypeInfo<T> {
        private static final long serialVersionUID = 1L;
        private final TypeSerializer<T> serializer;

        Info(Class<T> type, TypeSerializer<T> serializer) {
            super(type);
            this.serializer = serializer;
        }

        @Override
        public TypeSerializer<T> createSerializer(SerializerConfig config) {
            return serializer;
        }
    }

    /** Entity, version, event time, event id. */
    public static final class ChangeSerializer extends ImmutableRecordSerializer<Change> {
        private static final long serialVersionUID = 1L;
        public static final ChangeSerializer INSTANCE = new ChangeSerializer();

        @Override
        public void serialize(Change c, DataOutputView out) throws IOException {
            out.writeUTF(c.entity());
            out.writeLong(c.version());
            out.writeLong(c.occurredAt());
            out.writeUTF(c.eventId());
        }

        @Override
        public Change deserialize(DataInputView in) throws IOException {
            return new Change(in.readUTF(), in.readLong(), in.readLong(), in.readUTF());
        }

        @Override
        public TypeSerializerSnapshot<Change> snapshotConfiguration() {
            return new ChangeSnapshot();
        }
    }

    /** {@link VisitCodec}'s fields, without its format byte. */
    public static final class VisitSerializer extends ImmutableRecordSerializer<Visit> {
        private static final long serialVersionUID = 1L;
        public static final VisitSerializer INSTANCE = new VisitSerializer();

        @Override
        public void serialize(Visit v, DataOutputView out) throws IOException {
            VisitCodec.write(v, out);
        }

        @Override
        public Visit deserialize(DataInputView in) throws IOException {
            return VisitCodec.read(in, Integer.MAX_VALUE);
        }

        @Override
        public TypeSerializerSnapshot<Visit> snapshotConfiguration() {
            return new VisitSnapshot();
        }
    }

    /** A flag (edge or visit), then the edge (target id, dependent, added) or the visit. */
    public static final class GraphInputSerializer extends ImmutableRecordSerializer<GraphInput> {
        private static final long serialVersionUID = 1L;
        public static final GraphInputSerializer INSTANCE = new GraphInputSerializer();

        @Override
        public void serialize(GraphInput input, DataOutputView out) throws IOException {
            EdgeChange edge = input.edge();
            out.writeBoolean(edge != null);
            if (edge != null) {
                out.writeUTF(edge.target().id());
                out.writeUTF(edge.dependent());
                out.writeBoolean(edge.added());
            } else {
                VisitSerializer.INSTANCE.serialize(input.visit(), out);
            }
        }

        @Override
        public GraphInput deserialize(DataInputView in) throws IOException {
            return in.readBoolean() ? GraphInput.of(new EdgeChange(Node.parse(in.readUTF()), in.readUTF(), in.readBoolean()))
                    : GraphInput.of(VisitSerializer.INSTANCE.deserialize(in));
        }

        @Override
        public TypeSerializerSnapshot<GraphInput> snapshotConfiguration() {
            return new GraphInputSnapshot();
        }
    }

    /** Restores {@link ChangeSerializer}; one format so far. */
    public static final class ChangeSnapshot extends SimpleTypeSerializerSnapshot<Change> {
        public ChangeSnapshot() {
            super(() -> ChangeSerializer.INSTANCE);
        }
    }

    /** Restores {@link VisitSerializer}; one format so far. */
    public static final class VisitSnapshot extends SimpleTypeSerializerSnapshot<Visit> {
        public VisitSnapshot() {
            super(() -> VisitSerializer.INSTANCE);
        }
    }

    /** Restores {@link GraphInputSerializer}; one format so far. */
    public static final class GraphInputSnapshot extends SimpleTypeSerializerSnapshot<GraphInput> {
        public GraphInputSnapshot() {
            super(() -> GraphInputSerializer.INSTANCE);
        }
    }
}
