package io.ballast.bench;

import static io.ballast.bench.autoscale.ScalingEvents.envelope;
import static io.ballast.bench.autoscale.ScalingEvents.policy;
import static io.ballast.bench.autoscale.ScalingEvents.sample;

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

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ballast.autoscale.AutoscalerSettings;
import io.ballast.autoscale.Input;
import io.ballast.autoscale.Simulation;
import io.ballast.catalog.TopicInitializer;
import io.ballast.catalog.Topics;
import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.KafkaReference;
import io.ballast.embedded.TempDirs;
import io.ballast.embedded.junit.ConsumerGroups;
import io.ballast.events.Envelope;
import io.ballast.events.MetricSample;
import io.ballast.events.ReplicaStatus;
import io.ballast.events.ScalingPolicy;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import io.ballast.serde.EventDecoder;
import io.ballast.serde.EventSerializer;
import io.ballast.jobs.autoscale.AutoscalerJob;
import io.ballast.jobs.autoscale.AutoscalerJobConfig;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The autoscaler's speed, as a JSON report: samples/s of the Flink job (MiniCluster p=2, RocksDB,
 * incremental checkpoints, exactly-once sink) beside a raw KafkaConsumer and a raw KafkaProducer on
 * the same records in the same run, samples/s of the plain decision class, and the decision latency
 * (event-time evaluation instant to the decision visible to a read_committed consumer).
 * Arguments: {@code samples=N services=S instances=I checkpoint.interval=1s out=FILE}.
 */
public final class AutoscalerBench {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final int SAMPLE_PERIOD_SECONDS = 5;

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>(Map.of("samples", "400000", "services", "100", "instances", "10",
                "out", "bench/target/autoscaler.json", "latency.decisions", "8", "checkpoint.interval", "1s", "source.idleness", "10s"));
        Arrays.stream(args).map(s -> s.split("=", 2)).forEach(kv -> a.put(kv[0], kv[1]));
        int services = Integer.parseInt(a.get("services"));
        int instances = Integer.parseInt(a.get("instances"));
        int rounds = Integer.parseInt(a.get("samples")) / (services * instances);
        Path work = TempDirs.createDeletedOnExit("ballast-bench");
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "autoscaler");
        report.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(), "java", System.getProperty("java.version"),
                "maxHeapMb", Runtime.getRuntime().maxMemory() >> 20));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), 0, 0);
             ApicurioRegistry registry = ApicurioRegistry.start(work.resolve("registry"), 0, false)) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                new TopicInitializer(admin, (short) 1).ensure(Topics.all());
            }
            EventSerializer<SpecificRecord> serializer = new EventSerializer<>(RegistryClient.connect(RegistryConfig.of(registry.url())));
            List<SpecificRecord> trace = trace(services, instances, rounds);
            int samples = services * instances * rounds;
            report.put("trace", Map.of("samples", samples, "services", services, "instancesPerService", instances,
                    "eventTimeSpanSeconds", rounds * SAMPLE_PERIOD_SECONDS));
            progress("trace of " + samples + " samples built");
            report.put("decisionClass", decisionClass(trace));
            progress("decision class measured");

            AutoscalerJobConfig config = AutoscalerJobConfig.parse(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                    "registry.url", registry.url(), "sync.period", "5s", "out.of.orderness", "1s", "source.idleness", a.get("source.idleness"),
                    "checkpoint.interval", a.get("checkpoint.interval"), "group.id", "bench-autoscaler"));
            report.put("jobConfig", Map.of("parallelism", 2, "stateBackend", "rocksdb (incremental), heap timers", "checkpointInterval", a.get("checkpoint.interval"),
                    "syncPeriod", "5s", "outOfOrderness", "1s", "sourceIdleness", a.get("source.idleness"), "sink", "exactly-once"));
            // the samples wait in Kafka first: the job is measured reading a backlog, not racing its producer
            double produceSeconds = send(kafka, serializer, trace);
            report.put("kafkaProducerReference", Map.of("records", trace.size(), "recordsPerSecond", Math.round(trace.size() / produceSeconds)));
            progress("samples sent; starting the job on the backlog");
            long start = System.nanoTime();
            JobClient job = startJob(config, work.resolve("checkpoints"));
            // the backlog is fully written before the job starts, so the end offsets are the trace
            ConsumerGroups.awaitCaughtUp(kafka, "bench-autoscaler",
                    List.of(Topics.POLICIES.name(), Topics.REPLICAS.name(), Topics.METRICS_RAW.name()), Duration.ofMinutes(30));
            double jobSeconds = (System.nanoTime() - start) / 1e9;
            report.put("job", Map.of("samples", samples, "samplesPerSecond", Math.round(samples / jobSeconds),
                    "seconds", round(jobSeconds), "note", "job submission to its committed offsets covering the whole backlog "
                            + "(startup and the last checkpoint included)"));
            report.put("deadLetters", deadLetters(kafka));
            report.put("kafkaConsumerReference", rawConsume(kafka, samples, registry, false));
            report.put("kafkaConsumerWithAvroDecodeReference", rawConsume(kafka, samples, registry, true));
            progress("job measured; measuring decision latency");
            report.put("decisionLatency", latency(kafka, serializer, Integer.parseInt(a.get("latency.decisions"))));
            job.cancel().get();
        }
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Path out = Path.of(a.get("out"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, json.writeValueAsString(report));
        System.out.println(json.writeValueAsString(report));
        System.exit(0);
    }

    /** Policies and statuses, then rounds of samples; each service's load flips every minute, so it keeps deciding. */
    private static List<SpecificRecord> trace(int services, int instances, int rounds) {
        List<SpecificRecord> events = new ArrayList<>();
        for (int s = 0; s < services; s++) {
            events.add(policy("svc-" + s, T0));
            events.add(ReplicaStatus.newBuilder().setEnvelope(envelope("svc-" + s, "ReplicaStatus", T0)).setService("svc-" + s)
                    .setCurrentReplicas(instances).setDesiredReplicas(instances).setReadyReplicas(instances).build());
        }
        for (int r = 0; r < rounds; r++) {
            Instant at = T0.plusSeconds((long) r * SAMPLE_PERIOD_SECONDS);
            double cpu = (r / 12) % 2 == 0 ? 0.35 : 0.6;
            for (int s = 0; s < services; s++) {
                for (int i = 0; i < instances; i++) {
                    events.add(sample("svc-" + s, "svc-" + s + "-" + i, at, cpu + i * 0.001));
                }
            }
        }
        return events;
    }




    private static Map<String, Object> decisionClass(List<SpecificRecord> trace) {
        List<Input> inputs = new ArrayList<>();
        for (SpecificRecord e : trace) {
            inputs.add(e instanceof ScalingPolicy p ? Input.of(p) : e instanceof ReplicaStatus r ? Input.of(r) : Input.of((MetricSample) e));
        }
        Simulation simulation = new Simulation(AutoscalerSettings.DEFAULTS.withSyncPeriod(Duration.ofSeconds(5)), Duration.ofHours(1));
        simulation.run(inputs.subList(0, Math.min(inputs.size(), 20_000)));
        long start = System.nanoTime();
        Simulation.Result result = simulation.run(inputs);
        double seconds = (System.nanoTime() - start) / 1e9;
        return Map.of("samplesPerSecond", Math.round(inputs.size() / seconds), "evaluations", result.evaluations().size(),
                "decisions", result.published().size(), "note", "Simulation over the same trace in one thread, no Kafka, no Flink");
    }

    private static JobClient startJob(AutoscalerJobConfig config, Path checkpoints) throws Exception {
        StreamExecutionEnvironment env = io.ballast.bench.autoscale.FlinkEnvironments.local(checkpoints);
        new AutoscalerJob(config, AutoscalerJob.kafka(config)).build(env);
        return env.executeAsync(AutoscalerJob.NAME);
    }

    /** Sends the events and returns the seconds it took until every one was acknowledged. */
    private static double send(EmbeddedKafka kafka, EventSerializer<SpecificRecord> serializer, List<SpecificRecord> events) throws Exception {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(events.size());
        for (SpecificRecord e : events) {
            String topic = e instanceof ScalingPolicy ? Topics.POLICIES.name() : e instanceof ReplicaStatus ? Topics.REPLICAS.name()
                    : Topics.METRICS_RAW.name();
            records.add(new ProducerRecord<>(topic, ((Envelope) e.get(0)).getSubject().getBytes(StandardCharsets.UTF_8),
                    serializer.serialize(topic, e)));
        }
        return KafkaReference.produce(kafka.bootstrapServers(), records).seconds();
    }

    /** Dead letters by reason code: a clean run has none. */
    private static Map<String, Object> deadLetters(EmbeddedKafka kafka) {
        Map<String, Object> codes = new java.util.TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.DLQ.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    String code = new String(r.headers().lastHeader("ballast.dlq.reason.code").value(), StandardCharsets.UTF_8);
                    codes.merge(code, 1, (x, y) -> (Integer) x + (Integer) y);
                }
            }
        }
        return codes;
    }

    private static Map<String, Object> rawConsume(EmbeddedKafka kafka, int samples, ApicurioRegistry registry, boolean decode) {
        EventDecoder<MetricSample> decoder = EventDecoder.specific(RegistryClient.connect(RegistryConfig.of(registry.url())), MetricSample.class);
        KafkaReference.Figures f = KafkaReference.consume(kafka.bootstrapServers(), Topics.METRICS_RAW.name(), samples,
                r -> decode ? Math.round(decoder.decode(r).getValue() * 1000) : r.value().length);
        return Map.of("records", f.records(), "recordsPerSecond", f.recordsPerSecond(), "checksum", f.checksum());
    }

    /**
     * Live samples with event time = wall time for one service whose load flips at every evaluation;
     * each decision's latency is the wall time at which a read_committed consumer sees it minus its
     * evaluation instant (event time).
     */
    private static Map<String, Object> latency(EmbeddedKafka kafka, EventSerializer<SpecificRecord> serializer, int decisions) throws Exception {
        String service = "live";
        Instant now = Instant.now();
        send(kafka, serializer, List.of(policy(service, now), ReplicaStatus.newBuilder().setEnvelope(envelope(service, "ReplicaStatus", now))
                .setService(service).setCurrentReplicas(2).setDesiredReplicas(2).setReadyReplicas(2).build()));
        List<Long> latencies = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "acks", "all", "linger.ms", 0), new ByteArraySerializer(), new ByteArraySerializer());
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                     "isolation.level", "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.DECISIONS_SCALING.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            long lastSample = 0;
            while (latencies.size() < decisions) {
                long wall = System.currentTimeMillis();
                if (wall - lastSample >= 200) {
                    lastSample = wall;
                    double cpu = (wall / 5000) % 2 == 0 ? 0.2 : 0.9;
                    for (int i = 0; i < 2; i++) {
                        MetricSample s = sample(service, service + "-" + i, Instant.ofEpochMilli(wall), cpu);
                        producer.send(new ProducerRecord<>(Topics.METRICS_RAW.name(), service.getBytes(StandardCharsets.UTF_8),
                                serializer.serialize(Topics.METRICS_RAW.name(), s)));
                    }
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                    if (service.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                        latencies.add(System.currentTimeMillis() - r.timestamp());
                    }
                }
            }
        }
        latencies.sort(Long::compare);
        return Map.of("decisions", latencies.size(), "p50Ms", latencies.get(latencies.size() / 2),
                "maxMs", latencies.get(latencies.size() - 1), "minMs", latencies.get(0),
                "note", "evaluation instant (event time = wall time) to visible for read_committed; bounded by out.of.orderness "
                        + "+ the checkpoint that commits the transaction (see jobConfig)");
    }

    private static void progress(String what) {
        System.err.println("[bench] " + what);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
