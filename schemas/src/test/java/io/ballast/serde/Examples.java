package io.ballast.serde;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ballast.catalog.TopicSpec;
import io.ballast.catalog.ValueFormat;
import io.ballast.json.EnvelopeDefaults;
import io.ballast.json.JsonToAvro;
import org.apache.avro.generic.GenericRecord;

/** The README's example events (examples/events/TOPIC.ndjson), as records. */
public final class Examples {
    public static final Path DIR = Path.of("..", "examples", "events");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EnvelopeDefaults DEFAULTS = new EnvelopeDefaults("test",
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), UUID::randomUUID);

    private Examples() {
    }

    /** Every example event of {@code topic}, with its envelope filled. */
    public static List<GenericRecord> of(TopicSpec topic) {
        ValueFormat.Avro avro = (ValueFormat.Avro) topic.value();
        try {
            return Files.readAllLines(DIR.resolve(topic.name() + ".ndjson")).stream()
                    .filter(line -> !line.isBlank())
                    .map(line -> {
                        try {
                            ObjectNode event = (ObjectNode) JSON.readTree(line);
                            return JsonToAvro.read(DEFAULTS.fill(event, topic, avro.schema()), avro.schema());
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
