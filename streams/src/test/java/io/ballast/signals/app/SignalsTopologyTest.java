package io.ballast.signals.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import io.ballast.catalog.Topics;
import io.ballast.deadletter.DeadLetterHeaders;
import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.junit.WithRegistry;
import io.ballast.events.Envelope;
import io.ballast.events.InstancePhase;
import io.ballast.events.MetricKind;
import io.ballast.events.MetricSample;
import io.ballast.events.Signal;
import io.ballast.events.SignalKind;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import io.ballast.serde.EventDeserializer;
import io.ballast.serde.EventSerializer;
import io.ballast.signals.LatencyRule;
import io.ballast.signals.WindowSpec;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signals topology on {@link TopologyTestDriver} (RocksDB stores, a real registry): exact windows for
 * gauges, counters and latencies, late samples inside and outside grace, out-of-order samples, counter
 * resets, hopping windows, early emission, and every kind of bad input dead-lettered while the app goes on.
 */
@WithRegistry
class SignalsTopologyTest {
    private static final long T0 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
    private static final WindowSpec TUMBLING = new WindowSpec(Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(10));

    @TempDir
    Path state;
    private RegistryClient registry;
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> raw;
    private TestOutputTopic<String, Signal> signals;
    private TestOutputTopic<byte[], byte[]> dlq;
    private EventSerializer<MetricSample> serializer;

    @BeforeEach
    void registry(ApicurioRegistry apicurio) {
        registry = RegistryClient.connect(RegistryConfig.of(apicurio.url()));
        serializer = new EventSerializer<>(registry);
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private void start(WindowSpec windows, Duration early) {
        start(windows, early, new Properties());
    }

    private void start(WindowSpec windows, Duration early, Properties props) {
        SignalsSettings settings = new SignalsSettings(Topics.METRICS_RAW.name(), Topics.SIGNALS.name(), Topics.DLQ.name(),
                windows, early, LatencyRule.DEFAULT);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "signals-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        driver = new TopologyTestDriver(SignalsTopology.build(settings, registry), props);
        raw = driver.createInputTopic(Topics.METRICS_RAW.name(), new ByteArraySerializer(), new ByteArraySerializer());
        signals = driver.createOutputTopic(Topics.SIGNALS.name(), new StringDeserializer(),
                new EventDeserializer<>(registry, Signal.class));
        dlq = driver.createOutputTopic(Topics.DLQ.name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static MetricSample.Builder sample(String service, String instance, String metric, double value, long atSeconds) {
        Instant at = Instant.ofEpochMilli(T0 + atSeconds * 1000);
        return MetricSample.newBuilder()
                .setEnvelope(Envelope.newBuilder().setEventId(UUID.randomUUID()).setType("MetricSample").setSource("test")
                        .setSubject(service).setOccurredAt(at).setRecordedAt(at).build())
                .setService(service).setInstance(instance).setMetric(metric).setValue(value).setUnit("cores");
    }

    private void pipe(MetricSample.Builder sample) {
        MetricSample s = sample.build();
        // the Kafka timestamp is deliberately not the event time: windows must follow occurredAt
        raw.pipeInput(s.getService().getBytes(StandardCharsets.UTF_8), serializer.serialize(Topics.METRICS_RAW.name(), s), T0);
    }

    private List<Signal> closed() {
        List<Signal> out = new ArrayList<>();
        signals.readValuesToList().forEach(out::add);
        return out;
    }

    private static Signal only(List<Signal> signals, String metric, long startSeconds) {
        List<Signal> matching = signals.stream().filter(s -> s.getMetric().equals(metric)
                && s.getWindowStart().toEpochMilli() == T0 + startSeconds * 1000).toList();
        assertEquals(1, matching.size(), () -> metric + " at " + startSeconds + " in " + signals);
        return matching.get(0);
    }

    @Test
    void gaugesAggregateTheReadyInstancesLatestReadingsOnceTheWindowCloses() {
        start(TUMBLING, null);
        pipe(sample("checkout", "a", "cpu", 0.5, 10));
        pipe(sample("checkout", "a", "cpu", 0.9, 25));
        pipe(sample("checkout", "a", "cpu", 0.7, 20)); // out of order: not the latest reading, but the max is 0.9
        pipe(sample("checkout", "b", "cpu", 0.3, 15));
        pipe(sample("checkout", "c", "cpu", 5.0, 12).setReady(false));
        pipe(sample("checkout", "d", "cpu", 4.0, 13).setPhase(InstancePhase.PENDING));
        pipe(sample("checkout", "b", "cpu", 0.4, 65)); // stream time 65 s: the window [0, 60) is still open (grace 10 s)
        assertEquals(List.of(), closed());
        pipe(sample("checkout", "b", "cpu", 0.4, 70)); // 70 s = end + grace: closed
        List<Signal> out = closed();
        assertEquals(1, out.size(), out::toString);
        Signal cpu = out.get(0);
        assertEquals("checkout", cpu.getService());
        assertEquals(SignalKind.GAUGE, cpu.getKind());
        assertEquals("cores", cpu.getUnit());
        assertEquals(T0, cpu.getWindowStart().toEpochMilli());
        assertEquals(T0 + 60_000, cpu.getWindowEnd().toEpochMilli());
        assertEquals(6, cpu.getCount());
        assertEquals(2, cpu.getReadyInstances());
        assertEquals(0.9 + 0.3, cpu.getSum(), 1e-12);
        assertEquals((0.9 + 0.3) / 2, cpu.getAverage(), 1e-12);
        assertEquals(0.9, cpu.getMax(), 1e-12);
        assertNull(cpu.getP50());
        assertTrue(cpu.getFinal$());
        assertTrue(dlq.isEmpty());
    }

    @Test
    void lateSamplesCountInsideGraceAndAreDeadLetteredOutsideIt() {
        start(TUMBLING, null);
        pipe(sample("checkout", "a", "cpu", 1.0, 30));
        pipe(sample("checkout", "a", "cpu", 2.0, 65));
        pipe(sample("checkout", "b", "cpu", 3.0, 50)); // late, but 65 < 60 + 10: counted
        pipe(sample("checkout", "a", "cpu", 2.0, 71)); // closes [0, 60)
        pipe(sample("checkout", "c", "cpu", 9.0, 40)); // too late: its window closed at 70 s
        Signal first = only(closed(), "cpu", 0);
        assertEquals(2, first.getCount());
        assertEquals(4.0, first.getSum(), 1e-12);
        List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
        assertEquals(1, dead.size());
        assertEquals("LATE_SAMPLE", header(dead.get(0), DeadLetterHeaders.REASON_CODE));
        assertEquals("sample of checkout/cpu at 2026-03-01T00:00:40Z arrived after its last window closed (end "
                + "2026-03-01T00:01:00Z + grace PT10S, stream time 2026-03-01T00:01:11Z)", header(dead.get(0), DeadLetterHeaders.REASON));
        assertEquals(Topics.METRICS_RAW.name(), header(dead.get(0), DeadLetterHeaders.ORIGINAL_TOPIC));
        assertEquals(SignalsTopology.APP, header(dead.get(0), DeadLetterHeaders.FAILED_BY));
    }

    @Test
    void countersBecomeRatesAcrossResetsAndOutOfOrderReadings() {
        start(TUMBLING, null);
        // a: 100 @0, 130 @10, 160 @20, reset to 10 @30, 40 @40 (sent out of order): +30 +30 +10 +30 = 100 in 40 s
        for (long[] reading : new long[][] {{0, 100}, {20, 160}, {10, 130}, {40, 40}, {30, 10}}) {
            pipe(sample("checkout", "a", "requests_total", reading[1], reading[0]).setKind(MetricKind.COUNTER).setUnit("requests"));
        }
        pipe(sample("checkout", "b", "requests_total", 0, 5).setKind(MetricKind.COUNTER).setUnit("requests"));
        pipe(sample("checkout", "b", "requests_total", 80, 45).setKind(MetricKind.COUNTER).setUnit("requests"));
        pipe(sample("checkout", "c", "requests_total", 7, 50).setKind(MetricKind.COUNTER).setUnit("requests")); // one reading: no rate
        pipe(sample("checkout", "a", "cpu", 1, 75));
        Signal rate = only(closed(), "requests_total", 0);
        assertEquals(SignalKind.RATE, rate.getKind());
        assertEquals("requests/s", rate.getUnit());
        assertEquals(8, rate.getCount());
        assertEquals(2, rate.getReadyInstances());
        assertEquals(2.5 + 2.0, rate.getSum(), 1e-12);
        assertEquals(2.25, rate.getAverage(), 1e-12);
        assertEquals(2.5, rate.getMax(), 1e-12);
    }

    @Test
    void closedWindowsStayInTheStoreHalfAnHourSoItsSegmentsRollRarelyAndThenGo() {
        Properties noCache = new Properties(); // fetches then read RocksDB's segments, not the cache in front of them
        noCache.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        start(TUMBLING, null, noCache);
        byte[] checkout = "checkout".getBytes(StandardCharsets.UTF_8);
        WindowStore<byte[], byte[]> windows = driver.getWindowStore(SignalsTopology.WINDOWS_STORE);
        pipe(sample("checkout", "a", "cpu", 0.5, 10));
        pipe(sample("checkout", "a", "cpu", 0.6, 20 * 60)); // window [0, 60) closed 19 minutes ago
        assertEquals(1, closed().stream().filter(s -> s.getWindowStart().toEpochMilli() == T0).count());
        // with the least retention (size + grace = 70 s) its segment would be gone: one RocksDB opened and one
        // deleted per minute of event time
        assertNotNull(windows.fetch(checkout, T0));
        pipe(sample("checkout", "a", "cpu", 0.7, 50 * 60)); // past 30 minutes and one segment (15 minutes): deleted
        assertNull(windows.fetch(checkout, T0));
        assertEquals(Duration.ofMinutes(30), SignalsTopology.windowRetention(TUMBLING));
        assertEquals(Duration.ofMinutes(70), SignalsTopology.windowRetention(
                new WindowSpec(Duration.ofHours(1), Duration.ofHours(1), Duration.ofMinutes(10))));
    }

    @Test
    void latencyMetricsGetQuantilesWithinOnePercent() {
        start(TUMBLING, null);
        for (int v = 1; v <= 100; v++) {
            pipe(sample("api", "a", "latency_ms", v, v % 50).setUnit("ms"));
        }
        pipe(sample("api", "a", "latency_ms", 5000, 40).setUnit("ms").setReady(false)); // not ready: not in the quantiles
        pipe(sample("api", "a", "latency_ms", 1, 80).setUnit("ms"));
        Signal latency = only(closed(), "latency_ms", 0);
        assertEquals(50, latency.getP50(), 0.5);
        assertEquals(95, latency.getP95(), 0.95);
        assertEquals(99, latency.getP99(), 0.99);
        assertEquals(101, latency.getCount());
    }

    @Test
    void hoppingWindowsCountASampleInEveryWindowItFallsInto() {
        start(new WindowSpec(Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ZERO), null);
        pipe(sample("checkout", "a", "cpu", 1.0, 45)); // [0, 60) and [30, 90)
        pipe(sample("checkout", "a", "cpu", 3.0, 75)); // [30, 90) and [60, 120)
        pipe(sample("checkout", "a", "cpu", 0.0, 95)); // closes [0, 60) and [30, 90)
        List<Signal> out = closed();
        assertEquals(2, out.size(), out::toString);
        assertEquals(1.0, only(out, "cpu", 0).getMax(), 1e-12);
        Signal second = only(out, "cpu", 30);
        assertEquals(2, second.getCount());
        assertEquals(3.0, second.getSum(), 1e-12);
        assertEquals(3.0, second.getMax(), 1e-12);
    }

    @Test
    void earlyEmissionMarksOpenWindowsNotFinalAndStillEmitsTheFinalOnce() {
        start(TUMBLING, Duration.ofSeconds(10));
        pipe(sample("checkout", "a", "cpu", 1.0, 0));
        pipe(sample("checkout", "a", "cpu", 2.0, 5));
        pipe(sample("checkout", "a", "cpu", 3.0, 12)); // 10 s after the first update: the open window is emitted early
        List<Signal> early = closed();
        assertEquals(1, early.size(), early::toString);
        assertFalse(early.get(0).getFinal$());
        assertEquals(3, early.get(0).getCount());
        pipe(sample("checkout", "a", "cpu", 4.0, 75));
        List<Signal> finals = closed().stream().filter(Signal::getFinal$).toList();
        assertEquals(1, finals.size());
        assertEquals(3, finals.get(0).getCount());
        assertEquals(3.0, finals.get(0).getSum(), 1e-12);
    }

    @Test
    void badSamplesAreDeadLetteredWithTheReasonAndTheAppGoesOn() {
        start(TUMBLING, null);
        pipe(sample("checkout", "a", "cpu", Double.NaN, 1));
        pipe(sample("", "a", "cpu", 1, 2));
        pipe(sample("checkout", "a", "cpu", 0.5, 3));
        pipe(sample("checkout", "a", "cpu", 500, 4).setUnit("millicores"));
        pipe(sample("checkout", "a", "requests_total", -1, 5).setKind(MetricKind.COUNTER));
        raw.pipeInput("checkout".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 1, (byte) 0x86, (byte) 0x9F, 1}, T0);
        MetricSample wrongKey = sample("billing", "a", "cpu", 1, 6).build();
        raw.pipeInput("checkout".getBytes(StandardCharsets.UTF_8), serializer.serialize(Topics.METRICS_RAW.name(), wrongKey), T0);
        pipe(sample("checkout", "a", "cpu", 0.7, 80));
        List<String> reasons = dlq.readRecordsToList().stream().map(r -> header(r, DeadLetterHeaders.REASON_CODE) + ": "
                + header(r, DeadLetterHeaders.REASON)).toList();
        assertEquals(6, reasons.size(), reasons::toString);
        assertEquals("INVALID_SAMPLE: value NaN of checkout/cpu is not a finite number", reasons.get(0));
        assertEquals("INVALID_SAMPLE: the sample has no service: set 'service' (and the record key) to the service it measures",
                reasons.get(1));
        assertEquals("UNIT_CHANGED: unit 'millicores' of checkout/cpu differs from 'cores', the unit the series started with: "
                + "a unit never changes within a series; publish the new unit under a new metric name", reasons.get(2));
        assertEquals("INVALID_SAMPLE: counter checkout/requests_total is -1.0: a counter is never negative", reasons.get(3));
        assertTrue(reasons.get(4).startsWith("UNKNOWN_SCHEMA_ID: "), reasons.get(4));
        assertEquals("INVALID_SAMPLE: the record key 'checkout' is not the sample's service 'billing': "
                + "ballast.metrics.raw is keyed by service", reasons.get(5));
        Signal cpu = only(closed(), "cpu", 0);
        assertEquals(1, cpu.getCount());
        assertEquals(0.5, cpu.getSum(), 1e-12);
    }

    private static String header(TestRecord<byte[], byte[]> record, String key) {
        return new String(record.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }
}
