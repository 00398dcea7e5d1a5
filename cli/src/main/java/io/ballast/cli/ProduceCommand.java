package io.ballast.cli;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ballast.catalog.TopicSpec;
import io.ballast.catalog.Topics;
import io.ballast.catalog.ValueFormat;
import io.ballast.json.EnvelopeDefaults;
import io.ballast.json.InvalidEventException;
import io.ballast.json.JsonToAvro;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import io.ballast.serde.EventSerializer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ballast produce}: JSON events, one a line, validated against the topic's schema, envelope
 * filled, sent in the Confluent wire format. A bad line is reported with its number and skipped; the
 * good ones are sent.
 */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = "Send JSON events (one per line) to a topic, validated against its schema.")
final class ProduceCommand implements Callable<Integer> {
    @Option(names = {"-t", "--topic"}, required = true, description = "A topic of the catalog (see 'ballast topics').")
    String topic;

    @Option(names = {"-f", "--file"}, defaultValue = "-", description = "File of JSON events, one per line; '-' reads standard input (default).")
    String file;

    @Option(names = "--source", defaultValue = "ballast-cli", description = "The envelope source of events that give none (default ${DEFAULT-VALUE}).")
    String source;

    @Mixin
    Endpoints endpoints;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TopicSpec target = Topics.require(topic);
        if (!(target.value() instanceof ValueFormat.Avro avro)) {
            throw new IllegalArgumentException(topic + " holds raw dead letters, written by the platform; it takes no events from produce");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Encoder encoder = new Encoder(target, avro.schema(), RegistryClient.connect(RegistryConfig.of(endpoints.registryUrl)),
                new EnvelopeDefaults(source, Clock.systemUTC(), UUID::randomUUID));
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        try (BufferedReader reader = JsonLines.open(file); KafkaProducer<byte[], byte[]> producer = producer(target)) {
            int lineNumber = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                int number = lineNumber;
                try {
                    Encoded encoded = encoder.encode(line);
                    producer.send(new ProducerRecord<>(target.name(), encoded.key(), encoded.value()), (metadata, e) -> {
                        if (e == null) {
                            sent.incrementAndGet();
                        } else {
                            refused.incrementAndGet();
                            report(err, number, "Kafka refused it: " + e.getMessage());
                        }
                    });
                } catch (InvalidEventException e) {
                    refused.incrementAndGet();
                    report(err, number, e.getMessage());
                }
            }
            producer.flush();
        }
        out.println("sent " + sent.get() + " event(s) to " + target.name() + ", refused " + refused.get());
        out.flush();
        return refused.get() == 0 ? ExitCodes.OK : ExitCodes.SOME_REFUSED;
    }

    private static synchronized void report(PrintWriter err, int line, String message) {
        err.println("line " + line + ": " + message);
        err.flush();
    }

    private KafkaProducer<byte[], byte[]> producer(TopicSpec target) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Math.max(target.maxMessageBytes(), 1024 * 1024),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.CLIENT_ID_CONFIG, "ballast-cli-produce"),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A line's record key and wire-format value. */
    record Encoded(byte[] key, byte[] value) {
    }

    /** One JSON line to key and value bytes, or an {@link InvalidEventException} that says why not. */
    static final class Encoder {
        private final TopicSpec topic;
        private final Schema schema;
        private final EventSerializer<GenericRecord> serializer;
        private final EnvelopeDefaults defaults;

        Encoder(TopicSpec topic, Schema schema, RegistryClient registry, EnvelopeDefaults defaults) {
            this.topic = topic;
            this.schema = schema;
            this.serializer = new EventSerializer<>(registry);
            this.defaults = defaults;
        }

        Encoded encode(String line) {
            ObjectNode event = JsonLines.object(line);
            GenericRecord record = JsonToAvro.read(defaults.fill(event, topic, schema), schema);
            List<String> violations = SemanticRules.check(topic, record, Instant.now());
            if (!violations.isEmpty()) {
                throw new InvalidEventException("$", String.join("; ", violations));
            }
            byte[] value = serializer.serialize(topic.name(), record);
            byte[] key = ((GenericRecord) record.get("envelope")).get("subject").toString().getBytes(StandardCharsets.UTF_8);
            int size = key.length + value.length;
            if (size > topic.maxMessageBytes()) {
                throw new InvalidEventException("$", "the event is " + size + " bytes, over " + topic.name()
                        + "'s limit of " + topic.maxMessageBytes() + " bytes (max.message.bytes)");
            }
            return new Encoded(key, value);
        }
    }
}
