package io.ballast.bench.report;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.ballast.embedded.KafkaReference;
import io.ballast.events.Envelope;
import io.ballast.serde.EventSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Events encoded in the wire format, keyed by their subject, for one topic: what a benchmark's job or app reads. */
public final class Backlog {
    private Backlog() {
    }

    /** The events as records of {@code topic}, encoded once (registering their schema). */
    public static List<ProducerRecord<byte[], byte[]>> encode(BenchPlatform platform, String topic, List<? extends SpecificRecord> events) {
        EventSerializer<SpecificRecord> serializer = new EventSerializer<>(platform.registryClient());
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(events.size());
        for (SpecificRecord e : events) {
            String subject = ((Envelope) e.get(e.getSchema().getField("envelope").pos())).getSubject();
            records.add(new ProducerRecord<>(topic, subject.getBytes(StandardCharsets.UTF_8), serializer.serialize(topic, e)));
        }
        return records;
    }

    /** Writes the events to {@code topic} and returns once all are acknowledged. */
    public static void write(BenchPlatform platform, String topic, List<? extends SpecificRecord> events) {
        KafkaReference.produce(platform.kafka().bootstrapServers(), encode(platform, topic, events));
    }
}
