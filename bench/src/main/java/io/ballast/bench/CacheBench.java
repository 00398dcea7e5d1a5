package io.ballast.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ballast.bench.invalidate.CacheTrace;
import io.ballast.catalog.TopicInitializer;
import io.ballast.catalog.Topics;
import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.KafkaReference;
import io.ballast.embedded.TempDirs;
import io.ballast.embedded.junit.ConsumerGroups;
import io.ballast.events.CacheDependency;
import io.ballast.events.EntityChange;
import io.ballast.invalidate.DependencyGraph;
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
        Path work = TempDirs.createDeletedOnExit("ballast-bench");
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "cache");
        report.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(), "java", System.getProperty("java.version")));
        CacheTrace cacheTrace = new CacheTrace(entities);
        List<CacheDependency> deps = cacheTrace.registrations(Instant.now());
        List<EntityChange> trace = cacheTrace.changes(changes, 1, Instant.now());
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
            double produceSeconds = send(kafka, serializer, Topics.CHANGES.name(), cacheTrace.changes(changes, 1, Instant.now()));
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

    /** The same registrations and changes through the plain graph, one thread: the invalidations expected and how fast. */
    private static Map<String, Object> dependencyGraph(List<CacheDependency> deps, List<EntityChange> trace) {
        DependencyGraph graph = CacheTrace.graph(deps);
        long start = System.nanoTime();
        long invalidations = CacheTrace.close(graph, trace);
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
        return KafkaReference.produce(kafka.bootstrapServers(), CacheTrace.records(serializer, topic, events)).seconds();
    }

    private static void progress(String what) {
        System.err.println("[bench] " + what);
    }
}
