package io.ballast.store.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.ballast.catalog.ReplayHeaders;
import io.ballast.client.ClientConfig;
import io.ballast.client.KafkaClients;
import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.junit.KafkaRecords;
import io.ballast.embedded.junit.WithKafka;
import io.ballast.store.EventStore;
import io.ballast.store.ExpectedVersion;
import io.ballast.store.NewEvent;
import io.ballast.store.Origin;
import io.ballast.store.StoreSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an audit asks of a replay: several types, only positions below a signed tree head's size, each record saying its
 * type and where the store's ingest read it, and a topic that keeps records of old event times.
 */
@WithKafka
class ReplayerTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aReplaySelectsTypesBelowAPositionAndSaysWhereEachWasRead(EmbeddedKafka kafka, @TempDir Path dir) throws Exception {
        String topic = "ballast.replay.types-" + UUID.randomUUID();
        try (EventStore store = EventStore.open(dir, StoreSettings.DEFAULTS)) {
            store.append("ballast.replicas/a", ExpectedVersion.ANY, List.of(event("ReplicaStatus", 0, new Origin("ballast.replicas", 2, 40))));
            store.append("ballast.actions/a", ExpectedVersion.ANY, List.of(event("Action", 1, null)));
            store.append("ballast.metrics.raw/a", ExpectedVersion.ANY, List.of(event("MetricSample", 2, new Origin("ballast.metrics.raw", 5, 7))));
            store.append("ballast.metrics.raw/a", ExpectedVersion.ANY, List.of(event("MetricSample", 3, new Origin("ballast.metrics.raw", 5, 8))));

            Replayer.Result result = Replayer.replay(store, new ReplayRequest(T0, T0.plusSeconds(60), Set.of("ReplicaStatus", "MetricSample"),
                    null, topic, 0, 3), new KafkaClients(ClientConfig.defaults().with("bootstrap.servers", kafka.bootstrapServers())));

            assertEquals(2, result.published(), "the action is of another type, the sample at position 3 is not below 3");
            List<ConsumerRecord<byte[], byte[]>> copies = KafkaRecords.await(kafka, topic, 2, Duration.ofSeconds(30));
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                assertEquals("-1", admin.describeConfigs(List.of(resource)).all().get().get(resource).get("retention.ms").value(),
                        "records of 2026-01-01 must not be deleted by time as soon as they are written");
            }
            // the replay topic has several partitions: in the store's order by position
            assertEquals(List.of("ReplicaStatus 0 ballast.replicas 2 40", "MetricSample 2 ballast.metrics.raw 5 7"), copies.stream()
                    .sorted(java.util.Comparator.comparingLong(r -> Long.parseLong(header(r, ReplayHeaders.POSITION))))
                    .map(r -> header(r, ReplayHeaders.TYPE) + " " + header(r, ReplayHeaders.POSITION) + " " + header(r, ReplayHeaders.SOURCE_TOPIC)
                            + " " + header(r, ReplayHeaders.SOURCE_PARTITION) + " " + header(r, ReplayHeaders.SOURCE_OFFSET)).toList());
        }
    }

    private static NewEvent event(String type, int second, Origin origin) {
        return new NewEvent(UUID.randomUUID(), type, T0.plusSeconds(second), new byte[] {(byte) second}, Map.of(), origin);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        return new String(r.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }
}
