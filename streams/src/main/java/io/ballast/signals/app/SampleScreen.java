package io.ballast.signals.app;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.ballast.deadletter.DeadLetterHeaders;
import io.ballast.deadletter.DeadLetterReason;
import io.ballast.events.InstancePhase;
import io.ballast.events.MetricKind;
import io.ballast.events.MetricSample;
import io.ballast.serde.EventDecoder;
import io.ballast.serde.UndecodableRecordException;
import io.ballast.signals.Sample;
import io.ballast.signals.SampleCheck;
import io.ballast.signals.SampleRefusal;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Decodes and checks every raw sample before it joins a window. A refused record goes on with its bytes
 * and the dead-letter headers that say why; an accepted one goes on as a {@link Sample} stamped with its
 * event time. Keeps, per partition, the unit each series started with and the stream time of the
 * accepted samples (the same stream time that closes the windows downstream), both in a RocksDB store.
 */
final class SampleScreen implements FixedKeyProcessor<byte[], byte[], Screened> {
    static final String STORE = "signals-series";
    private static final String STREAM_TIME = "\u0000stream-time";
    private static final int MAX_REMEMBERED_UNITS = 100_000;

    private final EventDecoder<MetricSample> decoder;
    private final SampleCheck check;
    private FixedKeyProcessorContext<byte[], Screened> context;
    private KeyValueStore<String, String> series;
    private long streamTime = Long.MIN_VALUE;
    private final Map<String, String> units = new HashMap<>();

    SampleScreen(EventDecoder<MetricSample> decoder, SampleCheck check) {
        this.decoder = decoder;
        this.check = check;
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], Screened> context) {
        this.context = context;
        this.series = context.getStateStore(STORE);
        units.clear(); // a task restored (or re-initialised after an aborted transaction) reads the store again
        String stored = series.get(STREAM_TIME);
        streamTime = stored == null ? Long.MIN_VALUE : Long.parseLong(stored);
    }

    @Override
    public void process(FixedKeyRecord<byte[], byte[]> record) {
        Optional<RecordMetadata> meta = context.recordMetadata();
        MetricSample event;
        try {
            event = decoder.decode(meta.map(RecordMetadata::topic).orElse(""), meta.map(RecordMetadata::partition).orElse(-1),
                    meta.map(RecordMetadata::offset).orElse(-1L), record.value());
        } catch (UndecodableRecordException e) {
            refuse(record, new SampleRefusal(e.failure().name(), e.detail()));
            return;
        }
        Sample sample = toSample(event);
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        String seriesKey = sample.service() + "\u001f" + sample.metric();
        String knownUnit = sample.service() == null || sample.metric() == null ? null : knownUnit(seriesKey);
        Optional<SampleRefusal> refusal = check.check(key, sample, knownUnit, streamTime);
        if (refusal.isPresent()) {
            refuse(record, refusal.get());
            return;
        }
        if (knownUnit == null) {
            series.put(seriesKey, sample.unit());
            remember(seriesKey, sample.unit());
        }
        if (sample.at() > streamTime) {
            streamTime = sample.at();
            series.put(STREAM_TIME, Long.toString(streamTime));
        }
        context.forward(record.withValue(Screened.accepted(sample)).withTimestamp(sample.at()));
    }

    /** The unit from memory, else from the store (the store is what survives a restart; memory saves its lookups). */
    private String knownUnit(String seriesKey) {
        String unit = units.get(seriesKey);
        if (unit == null) {
            unit = series.get(seriesKey);
            if (unit != null) {
                remember(seriesKey, unit);
            }
        }
        return unit;
    }

    private void remember(String seriesKey, String unit) {
        if (units.size() >= MAX_REMEMBERED_UNITS) {
            units.clear(); // a bound on memory; the store still has every unit
        }
        units.put(seriesKey, unit);
    }

    static Sample toSample(MetricSample s) {
        boolean ready = s.getReady() && !s.getDeleted() && s.getPhase() == InstancePhase.RUNNING;
        return new Sample(s.getService(), s.getInstance(), s.getMetric(), s.getKind() == MetricKind.COUNTER, s.getValue(),
                s.getUnit(), ready, s.getEnvelope().getOccurredAt().toEpochMilli());
    }

    private void refuse(FixedKeyRecord<byte[], byte[]> record, SampleRefusal refusal) {
        Optional<RecordMetadata> meta = context.recordMetadata();
        Headers headers = DeadLetterHeaders.of(record.headers(), new DeadLetterReason(refusal.code(), refusal.message()),
                meta.map(RecordMetadata::topic).orElse(""), meta.map(RecordMetadata::partition).orElse(-1),
                meta.map(RecordMetadata::offset).orElse(-1L), record.timestamp(), SignalsTopology.APP, context.currentSystemTimeMs());
        context.forward(record.withValue(Screened.refused(refusal, record.value())).withHeaders(headers));
    }
}
