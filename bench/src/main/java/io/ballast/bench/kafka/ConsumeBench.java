package io.ballast.bench.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

import io.ballast.bench.report.Backlog;
import io.ballast.bench.report.Bench;
import io.ballast.bench.report.BenchPlatform;
import io.ballast.bench.report.Figure;
import io.ballast.bench.report.Fleet;
import io.ballast.bench.report.Goal;
import io.ballast.bench.report.Interleaved;
import io.ballast.bench.report.Reference;
import io.ballast.bench.report.Scale;
import io.ballast.events.MetricSample;
import io.ballast.serde.EventDecoder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Consuming and decoding events through Ballast's serde ({@link EventDecoder}: wire format, registry lookup,
 * Avro into the generated class) beside the same consumer reading the same records as bytes.
 */
public final class ConsumeBench implements Bench<BenchPlatform> {
    private static final String TOPIC = "bench.consume";

    @Override
    public String name() {
        return "consume";
    }

    @Override
    public List<Figure> run(BenchPlatform platform, Scale scale) throws Exception {
        Fleet fleet = new Fleet(100, 10);
        List<MetricSample> samples = fleet.cpuSamples(fleet.roundsFor(scale.pick(300_000, 1_000_000)));
        platform.createTopic(TOPIC, 6);
        Backlog.write(platform, TOPIC, samples);
        EventDecoder<MetricSample> decoder = EventDecoder.specific(platform.registryClient(), MetricSample.class);
        int n = samples.size();
        Interleaved.Pair pair = Interleaved.run(2, scale.rounds(),
                () -> consume(platform, n, r -> Math.round(decoder.decode(r).getValue() * 1000)),
                () -> consume(platform, n, r -> r.value().length));
        String consumer = "KafkaConsumer<byte[], byte[]> from Ballast's client factory, read_committed, assigned all 6 partitions from the start";
        return List.of(new Figure("consume.decodedEventsPerSecond", "events/s", pair.figure(),
                new Reference("kafka.rawConsumer.recordsPerSecond", pair.reference(), consumer + ", bytes only"), Goal.ratioAtLeast(0.8),
                n + " MetricSample events of a 6-partition topic, one broker, after two unreported warm-up rounds of each; " + consumer + " + EventDecoder into MetricSample",
                Map.of()));
    }

    private static double consume(BenchPlatform platform, long count, ToLongFunction<ConsumerRecord<byte[], byte[]>> work) {
        try (KafkaConsumer<byte[], byte[]> consumer = platform.clients().consumer(Map.of("isolation.level", "read_committed",
                "enable.auto.commit", false, "client.id", "bench-consume"))) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
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
            double seconds = (System.nanoTime() - start) / 1e9;
            if (checksum == Long.MIN_VALUE) {
                throw new IllegalStateException("unreachable: keeps the per-record work");
            }
            return read / seconds;
        }
    }
}
