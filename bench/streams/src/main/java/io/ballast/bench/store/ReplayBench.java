package io.ballast.bench.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.ballast.bench.report.Bench;
import io.ballast.bench.report.BenchPlatform;
import io.ballast.bench.report.Figure;
import io.ballast.bench.report.Fleet;
import io.ballast.bench.report.Goal;
import io.ballast.bench.report.Interleaved;
import io.ballast.bench.report.Reference;
import io.ballast.bench.report.Scale;
import io.ballast.catalog.Topics;
import io.ballast.embedded.KafkaReference;
import io.ballast.events.Action;
import io.ballast.serde.EventSerializer;
import io.ballast.store.EventStore;
import io.ballast.store.NewEvent;
import io.ballast.store.Origin;
import io.ballast.store.StoreSettings;
import io.ballast.store.StoredEvent;
import io.ballast.store.replay.ReplayRequest;
import io.ballast.store.replay.Replayer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Replaying a time range of the store to a new topic ({@link Replayer}: read by event time, idempotent producer,
 * every send acknowledged) beside a raw KafkaProducer sending the same records (key, value, timestamp and the
 * replay's headers), each round to a topic of its own.
 */
public final class ReplayBench implements Bench<BenchPlatform> {
    private final AtomicInteger runs = new AtomicInteger();

    @Override
    public String name() {
        return "replay";
    }

    @Override
    public List<Figure> run(BenchPlatform platform, Scale scale) throws Exception {
        int n = scale.pick(100_000, 1_000_000);
        EventSerializer<Action> serializer = new EventSerializer<>(platform.registryClient());
        try (EventStore store = EventStore.open(platform.directory("replay-store"), StoreSettings.DEFAULTS)) {
            for (int from = 0; from < n; from += 5000) {
                List<EventStore.Archived> batch = new ArrayList<>(5000);
                for (int i = from; i < Math.min(n, from + 5000); i++) {
                    Action a = Actions.action(i);
                    batch.add(new EventStore.Archived("ballast.actions/" + a.getTarget(), new NewEvent(a.getEnvelope().getEventId(),
                            "Action", a.getEnvelope().getOccurredAt(), serializer.serialize(Topics.ACTIONS.name(), a), Map.of(),
                            new Origin(Topics.ACTIONS.name(), i % 6, i / 6))));
                }
                store.archive(batch, Map.of(Topics.ACTIONS.name() + ":0", (long) from + batch.size()));
            }
            List<ProducerRecord<byte[], byte[]>> same = new ArrayList<>(n);
            for (StoredEvent e : store.readAll(0, n)) {
                ProducerRecord<byte[], byte[]> r = new ProducerRecord<>("unset", null, e.occurredAt().toEpochMilli(),
                        e.stream().getBytes(StandardCharsets.UTF_8), e.data());
                r.headers().add(new RecordHeader(Replayer.REPLAY_ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8)));
                r.headers().add(new RecordHeader(Replayer.POSITION, Long.toString(e.position()).getBytes(StandardCharsets.UTF_8)));
                r.headers().add(new RecordHeader(Replayer.SOURCE_TOPIC, Topics.ACTIONS.name().getBytes(StandardCharsets.UTF_8)));
                r.headers().add(new RecordHeader(Replayer.TYPE, e.type().getBytes(StandardCharsets.UTF_8)));
                r.headers().add(new RecordHeader(Replayer.SOURCE_PARTITION, Integer.toString(e.origin().partition()).getBytes(StandardCharsets.UTF_8)));
                r.headers().add(new RecordHeader(Replayer.SOURCE_OFFSET, Long.toString(e.origin().offset()).getBytes(StandardCharsets.UTF_8)));
                same.add(r);
            }
            Interleaved.Pair pair = Interleaved.run(1, scale.rounds(), () -> replay(platform, store, n), () -> raw(platform, same));
            return List.of(new Figure("replay.eventsPerSecond", "events/s", pair.figure(),
                    new Reference("kafka.rawProducer.recordsPerSecond", pair.reference(), "KafkaProducer<byte[], byte[]> of the same records "
                            + "(key, value, timestamp, the replay's six headers) to a new 6-partition topic, acks=all, linger.ms=20, lz4, "
                            + "batch.size=256 KiB"),
                    Goal.ratioAtLeast(0.8), n + " Action events archived in the store (after one unreported warm-up round of each), replayed by time range to a new topic "
                    + "(Replayer: one pass over the store's time index and log, idempotent acks=all lz4 producer, every send acknowledged)",
                    Map.of()));
        }
    }

    private double replay(BenchPlatform platform, EventStore store, int n) {
        String topic = "ballast.replay.bench-" + runs.incrementAndGet();
        Replayer.Result result = Replayer.replay(store, new ReplayRequest(Fleet.T0, Fleet.T0.plusMillis(n * 100L), null, null, topic, 0),
                platform.clients());
        if (result.published() != n) {
            throw new IllegalStateException("replay published " + result.published() + " of " + n);
        }
        return n / result.seconds();
    }

    private double raw(BenchPlatform platform, List<ProducerRecord<byte[], byte[]>> records) {
        String topic = "bench.replay.raw-" + runs.incrementAndGet();
        platform.createTopic(topic, 6);
        List<ProducerRecord<byte[], byte[]>> toTopic = records.stream().map(r -> new ProducerRecord<>(topic, null, r.timestamp(), r.key(),
                r.value(), r.headers())).toList();
        return KafkaReference.produce(platform.kafka().bootstrapServers(), toTopic).recordsPerSecond();
    }
}
