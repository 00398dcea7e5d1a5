package io.ballast.bench;

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
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ballast.catalog.TopicInitializer;
import io.ballast.catalog.Topics;
import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.KafkaReference;
import io.ballast.embedded.junit.ConsumerGroups;
import io.ballast.events.CacheDependency;
import io.ballast.events.DependencyKind;
import io.ballast.events.DependencyTarget;
import io.ballast.events.EntityChange;
import io.ballast.events.Envelope;
import io.ballast.invalidate.DependencyGraph;
import io.ballast.invalidate.Node;
import io.ballast.invalidate.Registration;
import io.ballast.invalidate.Visit;
import io.ballast.jobs.invalidate.InvalidatorJob;
import io.ballast.jobs.invalidate.InvalidatorJobConfig;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import io.ballast.serde.EventSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The cache invalidator's speed, as a JSON report: changes/s and invalidations/s of the Flink job
 * (MiniCluster p=2, RocksDB, closure across instances through the feedback topic) on a burst of changes,
 * beside a raw KafkaConsumer and KafkaProducer on the same records, and the plain {@link DependencyGraph}
 * giving the same invalidations in one thread. Each entity {@code e} has three keys: {@code item:e} (on
 * the entity), {@code pair:e} (on e and e+1) and {@code summary:e} (on the key item:e, one hop more).
 * Arguments: {@code entities=N changes=C out=FILE}.
 */
public final class CacheBench {
    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>(Map.of("entities", "2000", "changes", "20000", "out", "bench/target/cache.json"));
        Arrays.stream(args).map(s -> s.split("=", 2)).forEach(kv -> a.put(kv[0], kv[1]));
        int entities = Integer.parseInt(a.get("entities"));
        int changes = Integer.parseInt(a.get("changes"));
        Path work = Files.createTempDirectory("ballast-bench");
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "cache");
        report.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(), "java", System.getProperty("java.version")));
        List<CacheDependency> deps = registrations(entities, Instant.now());
        List<EntityChange> trace = changes(entities, changes, Instant.now());
        Map<String, Object> graph = dependencyGraph(deps, trace);
        long expected = (Long) graph.get("invalidations");
        report.put("trace", Map.of("entities", entities, "registrations", deps.size(), "changes", changes,
                "invalidations", expected, "note", "one change per entity every " + entities + " ms of event time: none coalesce"));
        report.put("dependencyGraphClass", graph);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), 0, 0);
             ApicurioRegistry registry = ApicurioRegistry.start(work.resolve("registry"), 0, false)) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                new TopicInitializer(admin, (short) 1).ensure(Topics.all());
            }
            EventSerializer<SpecificRecord> serializer = new EventSerializer<>(RegistryClient.connect(RegistryConfig.of(registry.url())));
            JobClient job = startJob(InvalidatorJobConfig.parse(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                    "registry.url", registry.url(), "group.id", "bench-invalidator")), work.resolve("checkpoints"));
            // the graph first: changes that overtook their registrations would find no dependents
            send(kafka, serializer, Topics.CACHE_DEPS.name(), deps);
            ConsumerGroups.awaitCaughtUp(kafka, "bench-invalidator", List.of(Topics.CACHE_DEPS.name()), Duration.ofMinutes(5));
            progress("graph registered; sending the changes");
            long start = System.nanoTime();
            // event time = the time they are sent: coalescing and version TTLs judge it against the wall clock
            double produceSeconds = send(kafka, serializer, Topics.CHANGES.name(), changes(entities, changes, Instant.now()));
            report.put("kafkaProducerReference", Map.of("records", changes, "recordsPerSecond", Math.round(changes / produceSeconds)));
            long read = awaitInvalidations(kafka, expected, Duration.ofMinutes(10));
            double jobSeconds = (System.nanoTime() - start) / 1e9;
            report.put("job", Map.of("changesPerSecond", Math.round(changes / jobSeconds),
                    "invalidationsPerSecond", Math.round(expected / jobSeconds), "seconds", Math.round(jobSeconds * 100) / 100.0,
                    "note", "first change sent to the last expected invalidation read from ballast.cache.invalidations; the job "
                            + "(running, its graph registered) reads the changes as fast as the producer writes them"));
            ConsumerGroups.awaitCaughtUp(kafka, "bench-invalidator", List.of(Topics.CHANGES.name()), Duration.ofMinutes(5));
            report.put("invalidationsRead", read);
            KafkaReference.Figures raw = KafkaReference.consume(kafka.bootstrapServers(), Topics.CHANGES.name(), changes, r -> r.value().length);
            report.put("kafkaConsumerReference", Map.of("records", raw.records(), "recordsPerSecond", raw.recordsPerSecond()));
            job.cancel().get();
        }
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Path file = Path.of(a.get("out"));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, json.writeValueAsString(report));
        System.out.println(json.writeValueAsString(report));
        System.exit(0);
    }

    /** Counts invalidations from the beginning until {@code expected} arrived or the time is up; returns the count. */
    private static long awaitInvalidations(EmbeddedKafka kafka, long expected, Duration timeout) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "max.poll.records", 5000), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.CACHE_INVALIDATIONS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            long read = 0;
            while (read < expected && System.nanoTime() < deadline) {
                read += consumer.poll(Duration.ofMillis(100)).count();
            }
            return read;
        }
    }

    private static List<CacheDependency> registrations(int entities, Instant at) {
        List<CacheDependency> deps = new ArrayList<>();
        for (int e = 0; e < entities; e++) {
            deps.add(dep("item:" + e, at, target(DependencyKind.ENTITY, entity(e))));
            deps.add(dep("pair:" + e, at, target(DependencyKind.ENTITY, entity(e)), target(DependencyKind.ENTITY, entity((e + 1) % entities))));
            deps.add(dep("summary:" + e, at, target(DependencyKind.KEY, "item:" + e)));
        }
        return deps;
    }

    private static List<EntityChange> changes(int entities, int changes, Instant t0) {
        List<EntityChange> trace = new ArrayList<>();
        for (int i = 0; i < changes; i++) {
            int e = i % entities;
            Envelope envelope = envelope(entity(e), "EntityChange", t0.plusMillis(i));
            trace.add(EntityChange.newBuilder().setEnvelope(envelope).setEntity(entity(e)).setVersion(i / entities + 1).build());
        }
        return trace;
    }

    /** The same registrations and changes through the plain graph, one thread: the invalidations expected and how fast. */
    private static Map<String, Object> dependencyGraph(List<CacheDependency> deps, List<EntityChange> trace) {
        DependencyGraph graph = new DependencyGraph();
        for (CacheDependency d : deps) {
            Set<Node> targets = new java.util.HashSet<>();
            d.getDependsOn().forEach(t -> targets.add(t.getKind() == DependencyKind.ENTITY ? Node.entity(t.getRef().toString())
                    : t.getKind() == DependencyKind.KEY ? Node.key(t.getRef().toString()) : Node.tag(t.getRef().toString())));
            graph.register(new Registration(d.getKey().toString(), targets, Registration.NEVER));
        }
        long start = System.nanoTime();
        long invalidations = 0;
        for (EntityChange c : trace) {
            String entity = c.getEntity().toString();
            invalidations += graph.close(new Visit(Node.entity(entity), entity, c.getVersion(), c.getEnvelope().getOccurredAt().toEpochMilli(),
                    List.of(c.getEnvelope().getEventId().toString()))).size();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return Map.of("invalidations", invalidations, "changesPerSecond", Math.round(trace.size() / seconds),
                "note", "DependencyGraph.close over the same changes, one thread, no Kafka, no Flink");
    }

    private static JobClient startJob(InvalidatorJobConfig config, Path checkpoints) throws Exception {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        conf.set(RestOptions.BIND_PORT, "0");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        new InvalidatorJob(config, InvalidatorJob.kafka(config)).build(env);
        return env.executeAsync(InvalidatorJob.NAME);
    }

    private static double send(EmbeddedKafka kafka, EventSerializer<SpecificRecord> serializer, String topic,
                               List<? extends SpecificRecord> events) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(events.size());
        for (SpecificRecord e : events) {
            records.add(new ProducerRecord<>(topic, ((Envelope) e.get(0)).getSubject().getBytes(StandardCharsets.UTF_8),
                    serializer.serialize(topic, e)));
        }
        return KafkaReference.produce(kafka.bootstrapServers(), records).seconds();
    }

    private static String entity(int e) {
        return "item-entity:" + e;
    }

    private static DependencyTarget target(DependencyKind kind, String ref) {
        return DependencyTarget.newBuilder().setKind(kind).setRef(ref).build();
    }

    private static CacheDependency dep(String key, Instant at, DependencyTarget... targets) {
        return CacheDependency.newBuilder().setEnvelope(envelope(key, "CacheDependency", at)).setKey(key)
                .setDependsOn(List.of(targets)).build();
    }

    private static Envelope envelope(String subject, String type, Instant at) {
        return Envelope.newBuilder().setEventId(UUID.randomUUID()).setType(type).setSource("bench").setSubject(subject)
                .setOccurredAt(at).setRecordedAt(at).build();
    }

    private static void progress(String what) {
        System.err.println("[bench] " + what);
    }
}
