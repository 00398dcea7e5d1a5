package io.ballast.deadletter;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

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

    /**
     * The headers of a dead letter: the original record's own (less any earlier dead-letter headers, so a
     * record dead-lettered twice says only why the last time), then where it came from and why.
     */
    public static Headers of(Headers original, DeadLetterReason reason, String topic, int partition, long offset, long timestamp,
                             String failedBy, long failedAt) {
        RecordHeaders headers = new RecordHeaders();
        if (original != null) {
            for (Header header : original) {
                if (!header.key().startsWith(PREFIX)) {
                    headers.add(header);
                }
            }
        }
        add(headers, REASON_CODE, reason.code());
        add(headers, REASON, reason.message());
        add(headers, ORIGINAL_TOPIC, topic);
        add(headers, ORIGINAL_PARTITION, Integer.toString(partition));
        add(headers, ORIGINAL_OFFSET, Long.toString(offset));
        add(headers, ORIGINAL_TIMESTAMP, Long.toString(timestamp));
        add(headers, FAILED_BY, failedBy);
        add(headers, FAILED_AT, Long.toString(failedAt));
        return headers;
    }

    private static void add(Headers headers, String key, String value) {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
