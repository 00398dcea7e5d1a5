package io.ballast.store;

/** A record on disk whose checksum does not match: the store names its position and stays usable for the rest. */
public final class CorruptRecordException extends RuntimeException {
    private final long position;

    public CorruptRecordException(long position, String detail) {
        super("record at position " + position + " is corrupt: " + detail);
        this.position = position;
    }

    public long position() {
        return position;
    }
}
