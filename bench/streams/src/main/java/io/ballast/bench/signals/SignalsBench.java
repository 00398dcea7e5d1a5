package io.ballast.bench.signals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ballast.catalog.TopicInitializer;
import io.ballast.catalog.Topics;
import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.KafkaReference;
import io.ballast.embedded.TempDirs;
import io.ballast.embedded.junit.ConsumerGroups;
import io.ballast.events.Envelope;
import io.ballast.events.MetricKind;
import io.ballast.events.MetricSample;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import io.ballast.serde.EventDecoder;
import io.ballast.serde.EventSerializer;
import io.ballast.signals.LatencyRule;
import io.ballast.signals.Sample;
import io.ballast.signals.ServiceWindow;
import io.ballast.signals.WindowSpec;
import io.ballast.signals.app.SignalsSettings;
import io.ballast.signals.app.SignalsTopology;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The signals app's speed, as a JSON report: samples/s of the Kafka Streams app (exactly-once v2, RocksDB
 * windows, suppression) reading a backlog, beside a raw KafkaConsumer (bytes, and with Avro decoding) and a
 * raw KafkaProducer on the same records in the same run, and the plain aggregation class alone.
 * Arguments: {@code samples=N services=S instances=I window=60s threads=1 commit.interval=1s out=FILE}.
 */
public final class SignalsBench {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final int SAMPLE_PERIOD_SECONDS = 5;

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>(Map.of("samples", "400000", "services", "100", "instances", "10",
                "window", "60s", "threads", "1", "out", "bench/target/signals.json", "commit.interval", "1s"));
        Arrays.stream(args).map(s -> s.split("=", 2)).forEach(kv -> a.put(kv[0], kv[1]));
        int services = Integer.parseInt(a.get("services"));
        int instances = Integer.parseInt(a.get("instances"));
        int rounds = Integer.parseInt(a.get("samples")) / (services * instances * 2);
        Duration window = io.ballast.config.Durations.parse("window", a.get("window"));
        Path work = TempDirs.createDeletedOnExit("ballast-bench-signals");
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "signals");
        report.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(), "java", System.getProperty("java.version"),
                "maxHeapMb", Runtime.getRuntime().maxMemory() >> 20));
        List<MetricSample> trace = trace(services, instances, rounds);
        report.put("trace", Map.of("samples", trace.size(), "services", services, "instancesPerService", instances,
                "metrics", "cpu (gauge) and requests_total (counter) per instance every " + SAMPLE_PERIOD_SECONDS + " s",
                "eventTimeSpanSeconds", rounds * SAMPLE_PERIOD_SECONDS));
        report.put("aggregationClass", aggregationClass(trace, window));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), 0, 0);
             ApicurioRegistry registry = ApicurioRegistry.start(work.resolve("registry"), 0, false)) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                new TopicInitializer(admin, (short) 1).ensure(List.of(Topics.METRICS_RAW, Topics.SIGNALS, Topics.DLQ));
            }
            RegistryClient client = RegistryClient.connect(RegistryConfig.of(registry.url()));
            EventSerializer<MetricSample> serializer = new EventSerializer<>(client);
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(trace.size());
            for (MetricSample s : trace) {
                records.add(new ProducerRecord<>(Topics.METRICS_RAW.name(), s.getService().getBytes(StandardCharsets.UTF_8),
                        serializer.serialize(Topics.METRICS_RAW.name(), s)));
            }
            report.put("kafkaProducerReference", figures(KafkaReference.produce(kafka.bootstrapServers(), records)));
            progress("backlog of " + trace.size() + " samples written; starting the signals app");
            report.put("app", app(kafka, client, window, Integer.parseInt(a.get("threads")),
                    io.ballast.config.Durations.parse("commit.interval", a.get("commit.interval")), work, trace.size()));
            EventDecoder<MetricSample> decoder = EventDecoder.specific(client, MetricSample.class);
            report.put("kafkaConsumerReference", figures(KafkaReference.consume(kafka.bootstrapServers(), Topics.METRICS_RAW.name(),
                    trace.size(), r -> r.value().length)));
            report.put("kafkaConsumerWithAvroDecodeReference", figures(KafkaReference.consume(kafka.bootstrapServers(),
                    Topics.METRICS_RAW.name(), trace.size(), r -> Math.round(decoder.decode(r).getValue()))));
        }
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Path out = Path.of(a.get("out"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, json.writeValueAsString(report));
        System.out.println(json.writeValueAsString(report));
        System.exit(0);
    }

    private static Map<String, Object> app(EmbeddedKafka kafka, RegistryClient registry, Duration window, int threads,
                                           Duration commitInterval, Path work, int samples) throws Exception {
        SignalsSettings settings = new SignalsSettings(Topics.METRICS_RAW.name(), Topics.SIGNALS.name(), Topics.DLQ.name(),
                new WindowSpec(window, window, Duration.ofSeconds(10)), null, LatencyRule.DEFAULT);
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-signals");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, work.resolve("streams").toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
        p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        long start = System.nanoTime();
        try (KafkaStreams app = new KafkaStreams(SignalsTopology.build(settings, registry), p)) {
            app.start();
            ConsumerGroups.awaitCaughtUp(kafka, "bench-signals", List.of(Topics.METRICS_RAW.name()), Duration.ofMinutes(30));
            double seconds = (System.nanoTime() - start) / 1e9;
            long signals = KafkaReference.consume(kafka.bootstrapServers(), Topics.SIGNALS.name(), 1, r -> 1).records();
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("samples", samples);
            figures.put("samplesPerSecond", Math.round(samples / seconds));
            figures.put("seconds", round(seconds));
            figures.put("config", "exactly_once_v2, commit.interval " + commitInterval.toMillis() + " ms, " + threads + " stream thread(s), tumbling " + window
                    + " windows, grace 10 s, suppression until close, 6 input partitions");
            figures.put("note", "start to committed offsets covering the whole backlog (startup, rebalance and the last commit included)");
            figures.put("signalsSeen", signals > 0);
            return figures;
        }
    }

    /** The plain aggregation (window assignment aside): every sample added to its service's window. */
    private static Map<String, Object> aggregationClass(List<MetricSample> trace, Duration window) {
        Map<String, ServiceWindow> windows = new LinkedHashMap<>();
        long start = System.nanoTime();
        long emitted = 0;
        for (MetricSample m : trace) {
            Sample s = new Sample(m.getService(), m.getInstance(), m.getMetric(), m.getKind() == MetricKind.COUNTER, m.getValue(),
                    m.getUnit(), true, m.getEnvelope().getOccurredAt().toEpochMilli());
            long bucket = s.at() / window.toMillis();
            windows.computeIfAbsent(s.service() + "/" + bucket, k -> new ServiceWindow()).add(s, LatencyRule.DEFAULT);
        }
        for (ServiceWindow w : windows.values()) {
            emitted += w.metrics().values().stream().mapToLong(mw -> mw.figures().count()).sum();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return Map.of("samplesPerSecond", Math.round(trace.size() / seconds), "checksum", emitted,
                "note", "ServiceWindow.add per sample and figures per window, in memory, one thread, no serialisation");
    }

    private static List<MetricSample> trace(int services, int instances, int rounds) {
        List<MetricSample> samples = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            Instant at = T0.plusSeconds((long) r * SAMPLE_PERIOD_SECONDS);
            for (int s = 0; s < services; s++) {
                for (int i = 0; i < instances; i++) {
                    samples.add(sample("svc-" + s, "svc-" + s + "-" + i, "cpu", MetricKind.GAUGE, 0.3 + (r % 7) * 0.05, "cores", at));
                    samples.add(sample("svc-" + s, "svc-" + s + "-" + i, "requests_total", MetricKind.COUNTER, r * 50.0 + i, "requests", at));
                }
            }
        }
        return samples;
    }

    private static MetricSample sample(String service, String instance, String metric, MetricKind kind, double value, String unit,
                                       Instant at) {
        return MetricSample.newBuilder()
                .setEnvelope(Envelope.newBuilder().setEventId(UUID.randomUUID()).setType("MetricSample").setSource("bench")
                        .setSubject(service).setOccurredAt(at).setRecordedAt(at).build())
                .setService(service).setInstance(instance).setMetric(metric).setKind(kind).setValue(value).setUnit(unit).build();
    }

    private static Map<String, Object> figures(KafkaReference.Figures f) {
        return Map.of("records", f.records(), "recordsPerSecond", f.recordsPerSecond(), "seconds", round(f.seconds()));
    }

    private static void progress(String what) {
        System.err.println("[signals bench] " + what);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
