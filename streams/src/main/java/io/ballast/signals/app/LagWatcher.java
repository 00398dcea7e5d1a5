package io.ballast.signals.app;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.ballast.events.Envelope;
import io.ballast.events.Signal;
import io.ballast.events.SignalKind;
import io.ballast.signals.ConsumerLag;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the lag of watched consumer groups with the Admin client every interval and publishes it to
 * ballast.signals as a CONSUMER_LAG signal of the service (metric {@code consumer_lag}, sum = total lag,
 * max = the largest partition lag, partitions = the topic's partition count).
 */
public final class LagWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LagWatcher.class);

    private final Admin admin;
    private final Producer<String, Signal> producer;
    private final String topic;
    private final List<LagWatch> watches;
    private final Duration interval;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ballast-lag-watcher");
        t.setDaemon(true);
        return t;
    });

    public LagWatcher(Admin admin, Producer<String, Signal> producer, String topic, List<LagWatch> watches, Duration interval, Clock clock) {
        this.admin = admin;
        this.producer = producer;
        this.topic = topic;
        this.watches = List.copyOf(watches);
        this.interval = interval;
        this.clock = clock;
    }

    public void start() {
        if (!watches.isEmpty()) {
            timer.scheduleWithFixedDelay(this::measureAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void measureAll() {
        for (LagWatch watch : watches) {
            try {
                ConsumerLag lag = measure(watch);
                Instant now = clock.instant();
                producer.send(new ProducerRecord<>(topic, watch.service(), toEvent(watch, lag, now.minus(interval), now)));
            } catch (Exception e) {
                LOG.warn("could not measure the lag of group {} on {}: {}", watch.group(), watch.topic(), e.toString());
            }
        }
        producer.flush();
    }

    ConsumerLag measure(LagWatch watch) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(watch.topic())).allTopicNames().get().get(watch.topic());
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        description.partitions().forEach(p -> {
            latest.put(new TopicPartition(watch.topic(), p.partition()), OffsetSpec.latest());
            earliest.put(new TopicPartition(watch.topic(), p.partition()), OffsetSpec.earliest());
        });
        Map<Integer, Long> end = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> end.put(tp.partition(), info.offset()));
        Map<Integer, Long> start = new HashMap<>();
        admin.listOffsets(earliest).all().get().forEach((tp, info) -> start.put(tp.partition(), info.offset()));
        Map<Integer, Long> committed = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(watch.group()).partitionsToOffsetAndMetadata().get();
        offsets.forEach((tp, om) -> {
            if (tp.topic().equals(watch.topic()) && om != null) {
                committed.put(tp.partition(), om.offset());
            }
        });
        return ConsumerLag.of(start, end, committed);
    }

    static Signal toEvent(LagWatch watch, ConsumerLag lag, Instant from, Instant to) {
        UUID id = UUID.nameUUIDFromBytes(("ballast-signals/lag/" + watch.service() + "/" + watch.group() + "/" + to.toEpochMilli())
                .getBytes(StandardCharsets.UTF_8));
        return Signal.newBuilder()
                .setEnvelope(Envelope.newBuilder().setEventId(id).setType(Signal.class.getSimpleName())
                        .setSource("ballast-signals").setSubject(watch.service()).setOccurredAt(to).setRecordedAt(to).build())
                .setService(watch.service())
                .setMetric("consumer_lag")
                .setKind(SignalKind.CONSUMER_LAG)
                .setUnit("messages")
                .setWindowStart(from)
                .setWindowEnd(to)
                .setCount(lag.partitions())
                .setReadyInstances(0)
                .setSum(lag.total())
                .setAverage(lag.partitions() == 0 ? 0 : (double) lag.total() / lag.partitions())
                .setMax(lag.max())
                .setPartitions(lag.partitions())
                .build();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
