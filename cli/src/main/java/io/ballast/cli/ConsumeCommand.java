package io.ballast.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ballast.catalog.TopicSpec;
import io.ballast.catalog.Topics;
import io.ballast.catalog.ValueFormat;
import io.ballast.json.AvroToJson;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import io.ballast.serde.EventDecoder;
import io.ballast.serde.UndecodableRecordException;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ballast consume}: prints a topic's events as JSON, one a line, in the form {@code produce}
 * reads. Reads every partition without a consumer group, so it never moves anyone's offsets. A record
 * that does not decode is reported on standard error with its coordinates, and reading goes on.
 */
@Command(name = "consume", mixinStandardHelpOptions = true,
        description = "Print a topic's events as JSON, one per line.")
final class ConsumeCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = {"-t", "--topic"}, required = true, description = "A topic of the catalog (see 'ballast topics').")
    String topic;

    @Option(names = "--from-beginning", description = "Start at the oldest record instead of new ones.")
    boolean fromBeginning;

    @Option(names = {"-n", "--max"}, defaultValue = "-1", description = "Stop after this many records (default: run until Ctrl-C).")
    long max;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", description = "Stop when nothing arrives for this long, e.g. PT5S or 5s.",
            converter = DurationConverter.class)
    Duration idleTimeout;

    @Mixin
    Endpoints endpoints;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        TopicSpec source = Topics.require(topic);
        endpoints.clients().requireReachable(Duration.ofSeconds(15));
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        EventDecoder<GenericRecord> decoder = EventDecoder.generic(endpoints.clients().registry());
        long printed = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(source.name(), Duration.ofSeconds(15)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            long lastRecord = System.nanoTime();
            while (max < 0 || printed < max) {
                var records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty() && idleTimeout != null && System.nanoTime() - lastRecord > idleTimeout.toNanos()) {
                    break;
                }
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    lastRecord = System.nanoTime();
                    if (max >= 0 && printed >= max) {
                        break;
                    }
                    try {
                        out.println(source.value() instanceof ValueFormat.Raw ? rawJson(record) : decoded(decoder, record));
                        printed++;
                    } catch (UndecodableRecordException e) {
                        err.println("skipped " + e.getMessage());
                        err.flush();
                    }
                }
                out.flush();
            }
        }
        return ExitCodes.OK;
    }

    private static String decoded(EventDecoder<GenericRecord> decoder, ConsumerRecord<byte[], byte[]> record) {
        GenericRecord event = decoder.decode(record);
        return event == null ? "null" : AvroToJson.write(event).toString();
    }

    /** A dead letter: where it came from and why (headers), and its raw bytes in base64. */
    private static String rawJson(ConsumerRecord<byte[], byte[]> record) {
        ObjectNode json = JSON.createObjectNode();
        json.put("partition", record.partition());
        json.put("offset", record.offset());
        json.put("timestamp", record.timestamp());
        json.put("key", record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8));
        ObjectNode headers = json.putObject("headers");
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
        json.put("value", record.value() == null ? null : Base64.getEncoder().encodeToString(record.value()));
        return json.toString();
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return endpoints.clients().consumer(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "ballast-cli-consume"));
    }
}
