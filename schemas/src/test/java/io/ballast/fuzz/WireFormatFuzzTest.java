package io.ballast.fuzz;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;

import io.ballast.catalog.TopicSpec;
import io.ballast.catalog.Topics;
import io.ballast.catalog.ValueFormat;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import io.ballast.serde.EventDecoder;
import io.ballast.serde.EventSerializer;
import io.ballast.serde.Examples;
import io.ballast.serde.UndecodableRecordException;
import io.ballast.events.MetricSample;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.avro.generic.GenericRecord;

/**
 * The wire-format decoder on hostile bytes: anything at all, a valid header over a random body, and valid
 * events with bytes flipped, cut or added. Every input either decodes or is refused with an
 * {@link UndecodableRecordException} that says why; no other exception, no hang, no allocation beyond the
 * test JVM's 1 GiB (Avro's length prefixes are read from the input).
 */
class WireFormatFuzzTest {
    private static final RegistryClient REGISTRY = RegistryClient.connect(RegistryConfig.of("mock://fuzz-wire"));
    private static final EventSerializer<GenericRecord> SERIALIZER = new EventSerializer<>(REGISTRY);
    private static final List<byte[]> VALID = Topics.all().stream().filter(t -> t.value() instanceof ValueFormat.Avro)
            .flatMap(t -> Examples.of(t).stream().map(r -> SERIALIZER.serialize(t.name(), r))).toList();
    private static final EventDecoder<GenericRecord> GENERIC = EventDecoder.generic(REGISTRY);
    private static final EventDecoder<MetricSample> SAMPLES = EventDecoder.specific(REGISTRY, MetricSample.class);

    private static void decodesOrSaysWhy(byte[] bytes) {
        for (EventDecoder<?> decoder : List.of(GENERIC, SAMPLES)) {
            try {
                decoder.decode("fuzz", 0, 0, bytes);
            } catch (UndecodableRecordException e) {
                assertNotNull(e.failure());
                assertTrue(e.getMessage().startsWith(e.failure().name() + " at fuzz-0@0: "), e.getMessage());
            }
        }
    }

    @Property
    void anyBytes(@ForAll("anyBytes") byte[] bytes) {
        decodesOrSaysWhy(bytes);
    }

    @Property
    void aValidHeaderOverARandomBody(@ForAll("bodies") byte[] body, @ForAll("knownIds") int id) {
        decodesOrSaysWhy(ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(id).put(body).array());
    }

    @Property
    void mutatedValidEvents(@ForAll("mutants") byte[] bytes) {
        decodesOrSaysWhy(bytes);
    }

    /** Found by {@link #mutatedValidEvents}: a string length near 2 GiB was allocated before it was read (the JVM ran out of heap). */
    @Example
    void aLengthPrefixNearTwoGigabytesIsRefusedNotAllocated() {
        byte[] valid = VALID.get(0);
        byte[] bytes = mutate(valid, 0, (byte) 0, 3);
        UndecodableRecordException e = org.junit.jupiter.api.Assertions.assertThrows(UndecodableRecordException.class,
                () -> GENERIC.decode("fuzz", 0, 0, bytes));
        assertTrue(e.getMessage().contains("CORRUPT_PAYLOAD") || e.getMessage().contains("TRUNCATED"), e.getMessage());
    }

    /** Found by {@link #mutatedValidEvents}: an event id that is not a UUID escaped as a NumberFormatException (a poison pill for a job). */
    @Example
    void anEventIdThatIsNotAUuidIsRefused() {
        byte[] bytes = SERIALIZER.serialize(Topics.METRICS_RAW.name(), Examples.of(Topics.METRICS_RAW).get(0));
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher uuid = java.util.regex.Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-").matcher(text);
        assertTrue(uuid.find());
        bytes[uuid.start()] = ' ';
        byte[] broken = bytes;
        UndecodableRecordException e = org.junit.jupiter.api.Assertions.assertThrows(UndecodableRecordException.class,
                () -> SAMPLES.decode("fuzz", 0, 0, broken));
        assertTrue(e.getMessage().startsWith("CORRUPT_PAYLOAD at fuzz-0@0"), e.getMessage());
    }

    @Provide
    Arbitrary<byte[]> anyBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(256);
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(512);
    }

    @Provide
    Arbitrary<Integer> knownIds() {
        // the ids the examples registered, and some that are not
        return Arbitraries.oneOf(Arbitraries.of(VALID.stream().map(b -> ByteBuffer.wrap(b, 1, 4).getInt()).distinct().toList()),
                Arbitraries.integers());
    }

    @Provide
    Arbitrary<byte[]> mutants() {
        Arbitrary<byte[]> valid = Arbitraries.of(VALID);
        return Combinators.combine(valid, Arbitraries.integers().between(0, 1_000_000), Arbitraries.bytes(),
                Arbitraries.integers().between(0, 3)).as(WireFormatFuzzTest::mutate);
    }

    /** One of: flip a byte, cut the tail, insert a byte, set a byte to a large varint prefix. */
    static byte[] mutate(byte[] valid, int where, byte value, int how) {
        int at = 5 + where % Math.max(1, valid.length - 5);
        byte[] out;
        switch (how) {
            case 0 -> {
                out = valid.clone();
                out[Math.min(at, out.length - 1)] ^= (byte) (value == 0 ? 1 : value);
            }
            case 1 -> out = java.util.Arrays.copyOf(valid, Math.min(at, valid.length - 1));
            case 2 -> {
                out = new byte[valid.length + 1];
                int i = Math.min(at, valid.length);
                System.arraycopy(valid, 0, out, 0, i);
                out[i] = value;
                System.arraycopy(valid, i, out, i + 1, valid.length - i);
            }
            default -> {
                // a length prefix near the largest varint: a decoder that trusts it allocates gigabytes
                out = new byte[valid.length + 4];
                int i = Math.min(at, valid.length);
                System.arraycopy(valid, 0, out, 0, i);
                byte[] huge = {(byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f};
                System.arraycopy(huge, 0, out, i, Math.min(huge.length, out.length - i));
                System.arraycopy(valid, i, out, Math.min(out.length, i + 5), Math.max(0, Math.min(valid.length - i, out.length - i - 5)));
            }
        }
        return out;
    }

    static TopicSpec topic() {
        return Topics.METRICS_RAW;
    }
}
