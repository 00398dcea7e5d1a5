package io.ballast.embedded;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The raw-Kafka reference figures the benchmarks put beside their own: how fast a plain producer writes
 * the same records and a plain consumer reads them back, on the same broker in the same run.
 */
public final class KafkaReference {
    /** What a reference run measured; {@code checksum} keeps the JIT from skipping the per-record work. */
    public record Figures(long records, double seconds, long checksum) {
        public long recordsPerSecond() {
            return Math.round(records / seconds);
        }
    }

    private KafkaReference() {
    }

    /** Sends {@code records} with a batching, lz4-compressing, acks=all producer; returns when all are acknowledged. */
    public static Figures produce(String bootstrapServers, List<ProducerRecord<byte[], byte[]>> records) {
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrapServers,
                "acks", "all", "linger.ms", 20, "compression.type", "lz4", "batch.size", 256 * 1024),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            records.forEach(producer::send);
            producer.flush();
        }
        return new Figures(records.size(), (System.nanoTime() - start) / 1e9, records.size());
    }

    /** Reads {@code count} records of {@code topic} from the beginning, applying {@code work} to each. */
    public static Figures consume(String bootstrapServers, String topic, long count, ToLongFunction<ConsumerRecord<byte[], byte[]>> work) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrapServers,
                "max.poll.records", 5000, "fetch.min.bytes", 1), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long start = System.nanoTime();
            long read = 0;
            long checksum = 0;
            while (read < count) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    read++;
                    checksum += work.applyAsLong(r);
                }
            }
            return new Figures(read, (System.nanoTime() - start) / 1e9, checksum);
        }
    }
}
