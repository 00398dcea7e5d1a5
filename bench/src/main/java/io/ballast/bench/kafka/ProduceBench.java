package io.ballast.bench.kafka;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.ballast.bench.report.Backlog;
import io.ballast.bench.report.Bench;
import io.ballast.bench.report.BenchPlatform;
import io.ballast.bench.report.Figure;
import io.ballast.bench.report.Fleet;
import io.ballast.bench.report.Goal;
import io.ballast.bench.report.Interleaved;
import io.ballast.bench.report.Reference;
import io.ballast.bench.report.Scale;
import io.ballast.bench.report.Spread;
import io.ballast.client.KafkaClients;
import io.ballast.embedded.KafkaReference;
import io.ballast.events.MetricSample;
import io.ballast.serde.EventSerializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Producing events through Ballast's serde (Avro, registry, wire format) and its producer settings
 * ({@link KafkaClients#eventProducerSettings}), each send done when its callback says so, beside a raw
 * KafkaProducer sending byte arrays of the same encoded records.
 */
public final class ProduceBench implements Bench<BenchPlatform> {
    private static final String BALLAST_TOPIC = "bench.produce.ballast";
    private static final String RAW_TOPIC = "bench.produce.raw";

    @Override
    public String name() {
        return "produce";
    }

    @Override
    public List<Figure> run(BenchPlatform platform, Scale scale) throws Exception {
        Fleet fleet = new Fleet(100, 10);
        List<MetricSample> samples = fleet.cpuSamples(fleet.roundsFor(scale.pick(300_000, 1_000_000)));
        List<ProducerRecord<byte[], byte[]>> encoded = Backlog.encode(platform, RAW_TOPIC, samples)
                .stream().map(r -> new ProducerRecord<>(RAW_TOPIC, r.key(), r.value())).toList();
        long bytes = encoded.stream().mapToLong(r -> r.key().length + r.value().length).sum();
        platform.createTopic(BALLAST_TOPIC, 6);
        platform.createTopic(RAW_TOPIC, 6);
        EventSerializer<MetricSample> serializer = new EventSerializer<>(platform.registryClient());
        Interleaved.Pair pair = Interleaved.run(2, scale.rounds(), () -> ballast(platform, serializer, samples),
                () -> KafkaReference.produce(platform.kafka().bootstrapServers(), encoded).recordsPerSecond());
        String workload = samples.size() + " MetricSample events (" + Math.round(bytes / (double) samples.size())
                + " bytes encoded, key included) to a 6-partition topic, one broker, after two unreported warm-up rounds of each";
        String rawWorkload = "KafkaProducer<byte[], byte[]> of the same encoded records, acks=all, linger.ms=20, lz4, batch.size=256 KiB";
        double mb = bytes / (double) samples.size() / 1e6;
        return List.of(
                new Figure("produce.eventsPerSecond", "events/s", pair.figure(),
                        new Reference("kafka.rawProducer.recordsPerSecond", pair.reference(), rawWorkload), Goal.ratioAtLeast(0.8),
                        workload + ": EventSerializer per event + Ballast's event producer settings, done when every callback has come",
                        Map.of("producerSettings", KafkaClients.eventProducerSettings("bench", 1 << 20).toString())),
                new Figure("produce.megabytesPerSecond", "MB/s", scaled(pair.figure(), mb),
                        new Reference("kafka.rawProducer.megabytesPerSecond", scaled(pair.reference(), mb), rawWorkload),
                        Goal.ratioAtLeast(0.8), workload, Map.of()));
    }

    private static double ballast(BenchPlatform platform, EventSerializer<MetricSample> serializer, List<MetricSample> samples) {
        AtomicLong acknowledged = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = platform.clients().producer(KafkaClients.eventProducerSettings("bench-produce", 1 << 20))) {
            for (MetricSample s : samples) {
                producer.send(new ProducerRecord<>(BALLAST_TOPIC, s.getService().getBytes(StandardCharsets.UTF_8),
                        serializer.serialize(BALLAST_TOPIC, s)), (metadata, e) -> {
                    if (e == null) {
                        acknowledged.incrementAndGet();
                    } else {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (failure.get() != null || acknowledged.get() != samples.size()) {
            throw new IllegalStateException(acknowledged.get() + " of " + samples.size() + " acknowledged", failure.get());
        }
        return samples.size() / seconds;
    }

    static Spread scaled(Spread s, double factor) {
        return new Spread(s.rounds().stream().map(v -> v * factor).toList());
    }
}
