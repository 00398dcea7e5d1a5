package io.ballast.views.app;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;

import io.ballast.deadletter.DeadLetterHeaders;
import io.ballast.deadletter.DeadLetterReason;
import io.ballast.json.AvroToJson;
import io.ballast.serde.EventDecoder;
import io.ballast.serde.UndecodableRecordException;
import io.ballast.views.ViewUpdate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Decodes one input topic of the views and keys each event by the view it updates (service or cluster).
 * Bytes that do not decode go on as dead letters with the reason in their headers.
 */
final class ViewDecoder<T extends SpecificRecord> implements Processor<byte[], byte[], String, Routed> {
    /** Where an event goes: the view's key and the update. */
    record Target(String key, ViewUpdate update) {
    }

    private final EventDecoder<T> decoder;
    private final Function<T, Target> target;
    private ProcessorContext<String, Routed> context;

    ViewDecoder(EventDecoder<T> decoder, Function<T, Target> target) {
        this.decoder = decoder;
        this.target = target;
    }

    @Override
    public void init(ProcessorContext<String, Routed> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        Optional<RecordMetadata> meta = context.recordMetadata();
        String topic = meta.map(RecordMetadata::topic).orElse("");
        String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
        try {
            T event = decoder.decode(topic, meta.map(RecordMetadata::partition).orElse(-1), meta.map(RecordMetadata::offset).orElse(-1L),
                    record.value());
            Target to = target.apply(event);
            context.forward(record.withKey(to.key()).withValue(new Routed(to.update(), null)));
        } catch (UndecodableRecordException e) {
            Headers headers = DeadLetterHeaders.of(record.headers(), DeadLetterReason.of(e), topic,
                    meta.map(RecordMetadata::partition).orElse(-1), meta.map(RecordMetadata::offset).orElse(-1L), record.timestamp(),
                    ViewsTopology.APP, context.currentSystemTimeMs());
            context.forward(record.withKey(key).withValue(new Routed(null, record.value())).withHeaders(headers));
        }
    }

    static ViewUpdate update(ViewUpdate.Part part, String member, SpecificRecord event, long at) {
        return new ViewUpdate(part, member, AvroToJson.write(event), at);
    }
}
