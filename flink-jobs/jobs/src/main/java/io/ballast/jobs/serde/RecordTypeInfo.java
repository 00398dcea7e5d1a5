package io.ballast.jobs.serde;

import java.util.Objects;

import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Type information of a class Flink treats as one opaque value with a serializer of ours (never a POJO,
 * never Kryo). Subclasses say which serializer.
 */
public abstract class RecordTypeInfo<T> extends TypeInformation<T> {
    private static final long serialVersionUID = 1L;
    private final Class<T> type;

    protected RecordTypeInfo(Class<T> type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    @Override
    public final boolean isBasicType() {
        return false;
    }

    @Override
    public final boolean isTupleType() {
        return false;
    }

    @Override
    public final int getArity() {
        return 1;
    }

    @Override
    public final int getTotalFields() {
        return 1;
    }

    @Override
    public final Class<T> getTypeClass() {
        return type;
    }

    @Override
    public final boolean isKeyType() {
        return false;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "<" + type.getName() + ">";
    }

    @Override
    public final boolean equals(Object other) {
        return other != null && other.getClass() == getClass() && ((RecordTypeInfo<?>) other).type.equals(type);
    }

    @Override
    public final int hashCode() {
        return getClass().hashCode() * 31 + type.hashCode();
    }

    @Override
    public final boolean canEqual(Object other) {
        return other != null && other.getClass() == getClass();
    }
}
