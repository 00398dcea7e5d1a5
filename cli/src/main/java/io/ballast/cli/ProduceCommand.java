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
import io.ballast.client.KafkaClients;
import io.ballast.json.EnvelopeDefaults;
import io.ballast.json.InvalidEventException;
import io.ballast.json.JsonToAvro;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import io.ballast.serde.EventSerializer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
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
    @Option(names = {"-t", "--topic"}, description = "A topic of the catalog (see 'ballast topics'); without it each event goes to "
            + "the topic of its envelope.type, or the one whose event its fields make (a trace of several topics).")
    String topic;

    @Option(names = {"-f", "--file"}, defaultValue = "-", description = "File of JSON events, one per line; '-' reads standard input (default).")
    String file;

    @Option(names = "--source", defaultValue = "ballast-cli", description = "The envelope source of events that give none (default ${DEFAULT-VALUE}).")
    String source;

    @Option(names = "--rebase-time", description = "Move the events' occurredAt forward, keeping their gaps, so that the first "
            + "falls within the next 15 s (by whole 15 s steps: events keep their place in the jobs' sync periods). Send a trace "
            + "in one command, so that all its events move together.")
    boolean rebaseTime;

    @Mixin
    Endpoints endpoints;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TopicSpec fixed = topic == null ? null : avroTopic(Topics.require(topic));
        endpoints.clients().requireReachable(java.time.Duration.ofSeconds(15));
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RegistryClient registry = endpoints.clients().registry();
        EnvelopeDefaults defaults = new EnvelopeDefaults(source, Clock.systemUTC(), UUID::randomUUID);
        Map<String, Encoder> encoders = new java.util.HashMap<>();
        Map<String, AtomicInteger> sentTo = new java.util.concurrent.ConcurrentSkipListMap<>();
        AtomicInteger refused = new AtomicInteger();
        List<String> lines;
        try (BufferedReader reader = JsonLines.open(file)) {
            lines = reader.lines().toList();
        }
        long shift = rebaseTime ? TimeRebase.shift(lines, Instant.now()) : 0;
        try (KafkaProducer<byte[], byte[]> producer = producer(fixed)) {
            int lineNumber = 0;
            for (String original : lines) {
                lineNumber++;
                if (original.isBlank()) {
                    continue;
                }
                int number = lineNumber;
                try {
                    String line = TimeRebase.apply(original, shift);
                    TopicSpec target = fixed != null ? fixed : TraceTopics.topicOf(JsonLines.object(line));
                    Encoder encoder = encoders.computeIfAbsent(target.name(), name -> new Encoder(target, avroSchema(target), registry, defaults));
                    Encoded encoded = encoder.encode(line);
                    AtomicInteger sent = sentTo.computeIfAbsent(target.name(), name -> new AtomicInteger());
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
        int sent = sentTo.values().stream().mapToInt(AtomicInteger::get).sum();
        String where = fixed != null ? fixed.name() : sentTo.isEmpty() ? "no topic" : sentTo.entrySet().stream()
                .map(e -> e.getKey() + " (" + e.getValue().get() + ")").collect(java.util.stream.Collectors.joining(", "));
        out.println("sent " + sent + " event(s) to " + where + ", refused " + refused.get());
        out.flush();
        return refused.get() == 0 ? ExitCodes.OK : ExitCodes.SOME_REFUSED;
    }

    private static TopicSpec avroTopic(TopicSpec topic) {
        if (!(topic.value() instanceof ValueFormat.Avro)) {
            throw new IllegalArgumentException(topic.name() + " holds raw dead letters, written by the platform; it takes no events from produce");
        }
        return topic;
    }

    private static Schema avroSchema(TopicSpec topic) {
        return ((ValueFormat.Avro) avroTopic(topic).value()).schema();
    }

    private static synchronized void report(PrintWriter err, int line, String message) {
        err.println("line " + line + ": " + message);
        err.flush();
    }

    private KafkaProducer<byte[], byte[]> producer(TopicSpec target) {
        int maxMessageBytes = target == null ? 1024 * 1024 : target.maxMessageBytes();
        return endpoints.clients().producer(KafkaClients.eventProducerSettings("ballast-cli-produce", maxMessageBytes));
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
