package io.ballast.bench.report;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One record to every partition of a topic every 50 ms, while a Flink job works through a backlog. Flink's Kafka
 * source commits offsets from its fetcher thread, which blocks in {@code poll} for up to 10 s when a partition has
 * nothing more to read: without a trickle, the commit covering the backlog came ~10 s after the job had read it,
 * in every round, for the autoscaler and the pass-through alike. The trickle's records are not part of the backlog
 * the figure counts.
 */
public final class Trickle implements AutoCloseable {
    private final Thread thread;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private volatile boolean running = true;

    private Trickle(BenchPlatform platform, String topic, int partitions, byte[] key, byte[] value) {
        thread = new Thread(() -> {
            try (KafkaProducer<byte[], byte[]> producer = platform.clients().producer(Map.of("linger.ms", 0))) {
                while (running) {
                    for (int p = 0; p < partitions; p++) {
                        producer.send(new ProducerRecord<>(topic, p, key, value));
                    }
                    producer.flush();
                    LockSupport.parkNanos(50_000_000L);
                }
            } catch (Exception e) {
                failure.set(e);
            }
        }, "bench-trickle");
        thread.setDaemon(true);
    }

    public static Trickle start(BenchPlatform platform, String topic, int partitions, byte[] key, byte[] value) {
        Trickle trickle = new Trickle(platform, topic, partitions, key, value);
        trickle.thread.start();
        return trickle;
    }

    @Override
    public void close() throws Exception {
        running = false;
        thread.join();
        if (failure.get() != null) {
            throw new IllegalStateException("the trickle of records failed", failure.get());
        }
    }
}
