package io.ballast.store.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ballast.catalog.TopicInitializer;
import io.ballast.catalog.Topics;
import io.ballast.catalog.ValueFormat;
import io.ballast.client.ClientConfig;
import io.ballast.client.KafkaClients;
import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.FreePort;
import io.ballast.embedded.junit.Await;
import io.ballast.embedded.junit.WithKafka;
import io.ballast.json.EnvelopeDefaults;
import io.ballast.json.JsonEvents;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import io.ballast.serde.EventSerializer;
import io.ballast.store.EventStore;
import io.ballast.store.StoreSettings;
import io.ballast.store.kafka.KafkaIngest;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry (a real Apicurio process, persistent) stopped and started again while events flow: a producer
 * and the store's ingest that already know the schema keep working from their caches while it is down (every
 * event sent then is archived as the event it is, not as Undecodable), and after the restart the schema ids
 * are the ones they were.
 */
@WithKafka
class RegistryRestartTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void whileTheRegistryIsDownCachedSchemasKeepEventsFlowingAndIdsSurviveItsRestart(EmbeddedKafka kafka) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicInitializer(admin, (short) 1).ensure(Topics.all());
        }
        int port = FreePort.find();
        ApicurioRegistry apicurio = ApicurioRegistry.start(dir.resolve("registry"), port, true);
        RegistryClient registry = RegistryClient.connect(RegistryConfig.of(apicurio.url()));
        ValueFormat.Avro avro = (ValueFormat.Avro) Topics.ACTIONS.value();
        int id = registry.register(Topics.ACTIONS.valueSubject(), avro.schema());
        EventSerializer<GenericRecord> serializer = new EventSerializer<>(registry);
        String target = "registry-" + UUID.randomUUID();
        KafkaClients clients = new KafkaClients(ClientConfig.of(kafka.bootstrapServers(), apicurio.url()));
        try (EventStore store = EventStore.open(dir.resolve("store"), StoreSettings.DEFAULTS);
             KafkaIngest ingest = new KafkaIngest(store, clients, registry).start();
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            send(producer, serializer, target, "before");
            Await.until("the first event archived", Duration.ofSeconds(60), () -> actions(store, target).size() == 1);
            apicurio.close();
            long down = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                send(producer, serializer, target, "while-down-" + i);
            }
            Await.until("the events sent while it was down archived", Duration.ofSeconds(60), () -> actions(store, target).size() == 21);
            long archivedWhileDown = System.nanoTime() - down;
            // working from its caches, the client still says that the registry is away (what /status and the jobs' gauge show)
            Await.until("the registry reported unreachable", Duration.ofSeconds(30), () -> !registry.reachability().reachable());
            long reportedDown = System.nanoTime() - down;
            assertTrue(registry.reachability().error().contains(apicurio.url()), registry.reachability().error());
            apicurio = ApicurioRegistry.start(dir.resolve("registry"), port, true);
            assertEquals(id, RegistryClient.connect(RegistryConfig.of(apicurio.url())).idOf(Topics.ACTIONS.valueSubject(), avro.schema()),
                    "the schema id after the restart");
            Await.until("the registry reported reachable again", Duration.ofSeconds(30), () -> registry.reachability().reachable());
            send(producer, serializer, target, "after");
            Await.until("the event after the restart archived", Duration.ofSeconds(60), () -> actions(store, target).size() == 22);
            assertTrue(actions(store, target).stream().allMatch(type -> type.equals("Action")), actions(store, target).toString());
            assertEquals(0, ingest.status().restarts());
            System.out.printf("registry down: 20 events produced and archived from cached schemas in %d ms, 0 lost; reported "
                    + "unreachable %d ms after it stopped; schema id %d unchanged after the restart%n", archivedWhileDown / 1_000_000,
                    reportedDown / 1_000_000, id);
        } finally {
            apicurio.close();
        }
    }

    private static List<String> actions(EventStore store, String target) {
        List<String> types = new ArrayList<>();
        store.readStream(Topics.ACTIONS.name() + "/" + target, 0, true, 1000).forEach(e -> types.add(e.type()));
        return types;
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, EventSerializer<GenericRecord> serializer, String target,
                             String action) throws Exception {
        ObjectNode json = (ObjectNode) JSON.readTree("{\"actor\": \"ops\", \"action\": \"" + action + "\", \"target\": \"" + target
                + "\", \"outcome\": \"SUCCEEDED\"}");
        JsonEvents.Encoded e = JsonEvents.encode(Topics.ACTIONS, json, new EnvelopeDefaults("test", Clock.systemUTC(), UUID::randomUUID),
                serializer);
        producer.send(new ProducerRecord<>(Topics.ACTIONS.name(), e.key(), e.value())).get();
        assertTrue(new String(e.key(), StandardCharsets.UTF_8).equals(target));
    }
}
