package io.ballast.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.junit.WithKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream thread that fails is replaced, up to its budget; past it the app reaches ERROR and its supervisor
 * is told (in {@code ballast up} the process then exits and is restarted). A real app on the real broker, a
 * topology whose processor throws on one record, every time it sees it.
 */
@WithKafka
class StreamThreadFailureTest {
    @TempDir
    Path dir;

    @Test
    void aFailingThreadIsReplacedWithinItsBudgetThenTheAppReachesErrorAndSaysSo(EmbeddedKafka kafka) throws Exception {
        String topic = "thread-failures-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", "poison")).get();
        }
        AtomicInteger attempts = new AtomicInteger();
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(topic, org.apache.kafka.streams.kstream.Consumed.with(Serdes.String(), Serdes.String())).foreach((k, v) -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("cannot take " + v);
        });
        Properties p = new Properties();
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "thread-failures-" + UUID.randomUUID());
        p.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        // a replaced thread joins the group anew; the failed member is dropped after the session timeout
        p.put(StreamsConfig.consumerPrefix("session.timeout.ms"), 6000);
        CompletableFuture<String> error = new CompletableFuture<>();
        CountDownLatch running = new CountDownLatch(1);
        try (KafkaStreams app = new KafkaStreams(builder.build(), p)) {
            StreamsApps.supervise(app, "test-app", new ThreadReplacements(1, Duration.ofMinutes(1)), running, error::complete);
            app.start();
            assertEquals("test-app", error.get(120, TimeUnit.SECONDS));
            assertEquals(KafkaStreams.State.ERROR, app.state());
            // the first thread and its one replacement each met the record once
            assertEquals(2, attempts.get());
        }
    }

    @Test
    void theReplacementBudgetIsPerWindow() {
        ThreadReplacements budget = new ThreadReplacements(3, Duration.ofMinutes(1));
        assertTrue(budget.allow(0));
        assertTrue(budget.allow(1_000));
        assertTrue(budget.allow(2_000));
        assertFalse(budget.allow(59_999));
        assertTrue(budget.allow(60_000), "the first failure left the window");
        assertFalse(budget.allow(60_001));
    }
}
