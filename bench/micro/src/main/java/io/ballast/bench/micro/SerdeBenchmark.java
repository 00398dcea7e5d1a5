package io.ballast.bench.micro;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.ballast.events.Envelope;
import io.ballast.events.MetricKind;
import io.ballast.events.MetricSample;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import io.ballast.serde.EventDecoder;
import io.ballast.serde.EventSerializer;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Ballast's serde of one {@code MetricSample} (the registry's wire format: magic byte, schema id, Avro body; the
 * decoder's checks and its resolution of the writer's schema) beside Avro's own writer and reader of the generated
 * class on the same record, with their encoder and decoder reused: the difference is what Ballast adds to Avro.
 * The registry is the Confluent client's in-memory {@code mock://} one, so no schema lookup leaves the process
 * (after the first, the real client caches them the same way).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SerdeBenchmark {
    private static final String TOPIC = "ballast.metrics.raw";

    private MetricSample sample;
    private EventSerializer<MetricSample> serializer;
    private EventDecoder<MetricSample> decoder;
    private byte[] wire;
    private byte[] avroBody;
    private final SpecificDatumWriter<MetricSample> avroWriter = new SpecificDatumWriter<>(MetricSample.class);
    private final SpecificDatumReader<MetricSample> avroReader = new SpecificDatumReader<>(MetricSample.class);
    private final ByteArrayOutputStream avroOut = new ByteArrayOutputStream(256);
    private BinaryEncoder avroEncoder;
    private BinaryDecoder avroDecoder;

    @Setup
    public void setUp() throws IOException {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        sample = MetricSample.newBuilder()
                .setEnvelope(Envelope.newBuilder().setEventId(UUID.nameUUIDFromBytes(new byte[] {1})).setType("MetricSample")
                        .setSource("bench").setSubject("checkout").setOccurredAt(at).setRecordedAt(at).build())
                .setService("checkout").setInstance("checkout-7d9f-0").setMetric("cpu").setKind(MetricKind.GAUGE)
                .setValue(0.42).setUnit("cores").setResourceRequest(0.5).build();
        RegistryClient registry = RegistryClient.connect(RegistryConfig.of("mock://serde-benchmark"));
        serializer = new EventSerializer<>(registry);
        decoder = EventDecoder.specific(registry, MetricSample.class);
        wire = serializer.serialize(TOPIC, sample);
        avroBody = avroEncode();
    }

    @Benchmark
    public byte[] ballastSerialize() {
        return serializer.serialize(TOPIC, sample);
    }

    @Benchmark
    public MetricSample ballastDecode() {
        return decoder.decode(TOPIC, 0, 0L, wire);
    }

    /** The reference for serialize: Avro's writer of the generated class, its buffered encoder and the stream reused. */
    @Benchmark
    public byte[] avroEncode() throws IOException {
        avroOut.reset();
        avroEncoder = EncoderFactory.get().binaryEncoder(avroOut, avroEncoder);
        avroWriter.write(sample, avroEncoder);
        avroEncoder.flush();
        return avroOut.toByteArray();
    }

    /** The reference for decode: Avro's reader of the generated class on the body alone, decoder reused. */
    @Benchmark
    public MetricSample avroDecode() throws IOException {
        avroDecoder = DecoderFactory.get().binaryDecoder(avroBody, avroDecoder);
        return avroReader.read(null, avroDecoder);
    }
}
