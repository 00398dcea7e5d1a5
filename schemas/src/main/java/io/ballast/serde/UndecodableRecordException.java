package io.ballast.serde;

/**
 * A record's value could not be decoded. Names where the record is, so that it can be found and
 * dead-lettered: topic, partition and offset (-1 when decoded outside a consumer).
 */
public final class UndecodableRecordException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String topic;
    private final int partition;
    private final long offset;
    private final DecodeFailure failure;
    private final String detail;

    public UndecodableRecordException(String topic, int partition, long offset, DecodeFailure failure, String detail, Throwable cause) {
        super(failure + " at " + topic + "-" + partition + "@" + offset + ": " + detail, cause);
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.failure = failure;
        this.detail = detail;
    }

    public String topic() {
        return topic;
    }

    public int partition() {
        return partition;
    }

    public long offset() {
        return offset;
    }

    public DecodeFailure failure() {
        return failure;
    }

    /** What was wrong, without the coordinates. */
    public String detail() {
        return detail;
    }

    /** The same failure, placed at a record's coordinates. */
    public UndecodableRecordException at(String topic, int partition, long offset) {
        return new UndecodableRecordException(topic, partition, offset, failure, detail, getCause());
    }
}
