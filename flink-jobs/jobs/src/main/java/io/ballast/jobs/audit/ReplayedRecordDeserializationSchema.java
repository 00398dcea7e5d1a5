package io.ballast.jobs.audit;

import java.nio.charset.StandardCharsets;

import io.ballast.catalog.ReplayHeaders;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Reads a replay topic's records with the headers the store's replay wrote ({@code ballast.replay.position}, {@code .type},
 * {@code .source-topic}, {@code -partition}, {@code -offset}); the record timestamp is the event time. A record without a
 * position or a type was not written by a replay and is refused, naming its offset.
 */
public final class ReplayedRecordDeserializationSchema implements KafkaRecordDeserializationSchema<ReplayedRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ReplayedRecord> out) {
        String position = header(record, ReplayHeaders.POSITION);
        String type = header(record, ReplayHeaders.TYPE);
        if (position == null || type == null) {
            throw new IllegalArgumentException(record.topic() + ":" + record.partition() + " offset " + record.offset()
                    + " was not written by a replay of the event store (no " + ReplayHeaders.POSITION + " or " + ReplayHeaders.TYPE + " header)");
        }
        String topic = header(record, ReplayHeaders.SOURCE_TOPIC);
        String partition = header(record, ReplayHeaders.SOURCE_PARTITION);
        String offset = header(record, ReplayHeaders.SOURCE_OFFSET);
        out.collect(new ReplayedRecord(Long.parseLong(position), type, record.timestamp(), topic,
                partition == null ? -1 : Integer.parseInt(partition), offset == null ? -1 : Long.parseLong(offset),
                record.value() == null ? new byte[0] : record.value()));
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        Header h = record.headers().lastHeader(key);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public TypeInformation<ReplayedRecord> getProducedType() {
        return TypeInformation.of(ReplayedRecord.class);
    }
}
