package io.ballast.deadletter;

/** The headers a dead letter carries on {@code ballast.dlq}, beside the original record's own. */
public final class DeadLetterHeaders {
    public static final String PREFIX = "ballast.dlq.";
    public static final String REASON_CODE = PREFIX + "reason.code";
    public static final String REASON = PREFIX + "reason";
    public static final String ORIGINAL_TOPIC = PREFIX + "original.topic";
    public static final String ORIGINAL_PARTITION = PREFIX + "original.partition";
    public static final String ORIGINAL_OFFSET = PREFIX + "original.offset";
    public static final String ORIGINAL_TIMESTAMP = PREFIX + "original.timestamp";
    public static final String FAILED_BY = PREFIX + "failed.by";
    public static final String FAILED_AT = PREFIX + "failed.at";

    private DeadLetterHeaders() {
    }
}
