package io.ballast.jobs.serde;

import java.io.IOException;

import io.ballast.rebalance.InputPosition;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads events as {@link EventDeserializationSchema} does (bad records dead-lettered), and hands each on with where it
 * was read (topic, partition, offset), made into what the job keys on; a null from the mapping drops the event (not
 * one the job reads).
 */
public final class PositionedDeserializationSchema<T extends SpecificRecord, R> implements KafkaRecordDeserializationSchema<R> {
    private static final long serialVersionUID = 1L;

    /** An event and where it was read, made into the job's input; null when the job does not read it. */
    @FunctionalInterface
    public interface Mapping<T, R> extends java.io.Serializable {
        R apply(T event, InputPosition position);
    }

    private final EventDeserializationSchema<T> events;
    private final Mapping<T, R> mapping;
    private final TypeInformation<R> type;

    public PositionedDeserializationSchema(EventDeserializationSchema<T> events, Mapping<T, R> mapping, TypeInformation<R> type) {
        this.events = events;
        this.mapping = mapping;
        this.type = type;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) throws Exception {
        events.open(context);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<R> out) throws IOException {
        InputPosition position = new InputPosition(record.topic(), record.partition(), record.offset());
        events.deserialize(record, new Collector<>() {
            @Override
            public void collect(T event) {
                R input = mapping.apply(event, position);
                if (input != null) {
                    out.collect(input);
                }
            }

            @Override
            public void close() {
            }
        });
    }

    @Override
    public TypeInformation<R> getProducedType() {
        return type;
    }
}
