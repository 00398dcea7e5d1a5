package io.ballast.jobs.autoscale;

import java.nio.charset.StandardCharsets;

import io.ballast.catalog.Topics;
import io.ballast.deadletter.DeadLetterHeaders;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes a {@link RejectedInput} to ballast.dlq: its JSON form as the value, the service as the key and
 * the same {@code ballast.dlq.*} headers as every other dead letter (partition and offset -1 when the input was
 * refused at its evaluation, long after it was read).
 */
public final class RejectedInputSerializationSchema implements KafkaRecordSerializationSchema<RejectedInput> {
    private static final long serialVersionUID = 1L;
    private final String failedBy;

    public RejectedInputSerializationSchema(String failedBy) {
        this.failedBy = failedBy;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(RejectedInput rejected, KafkaSinkContext context, Long timestamp) {
        RecordHeaders headers = new RecordHeaders();
        add(headers, DeadLetterHeaders.REASON_CODE, rejected.code());
        add(headers, DeadLetterHeaders.REASON, rejected.reason());
        add(headers, DeadLetterHeaders.ORIGINAL_TOPIC, rejected.topic());
        add(headers, DeadLetterHeaders.ORIGINAL_PARTITION, Integer.toString(rejected.partition()));
        add(headers, DeadLetterHeaders.ORIGINAL_OFFSET, Long.toString(rejected.offset()));
        add(headers, DeadLetterHeaders.ORIGINAL_TIMESTAMP, Long.toString(rejected.at().toEpochMilli()));
        add(headers, DeadLetterHeaders.FAILED_BY, failedBy);
        add(headers, DeadLetterHeaders.FAILED_AT, Long.toString(System.currentTimeMillis()));
        return new ProducerRecord<>(Topics.DLQ.name(), null, rejected.subject().getBytes(StandardCharsets.UTF_8),
                rejected.payload().getBytes(StandardCharsets.UTF_8), headers);
    }

    private static void add(RecordHeaders headers, String key, String value) {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
