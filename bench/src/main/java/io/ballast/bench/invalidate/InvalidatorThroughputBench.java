package io.ballast.bench.invalidate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.ballast.bench.autoscale.FlinkEnvironments;
import io.ballast.bench.report.Bench;
import io.ballast.bench.report.BenchPlatform;
import io.ballast.bench.report.Figure;
import io.ballast.bench.report.Goal;
import io.ballast.bench.report.Interleaved;
import io.ballast.bench.report.Reference;
import io.ballast.bench.report.Scale;
import io.ballast.bench.report.Suite;
import io.ballast.catalog.Topics;
import io.ballast.embedded.KafkaReference;
import io.ballast.embedded.junit.ConsumerGroups;
import io.ballast.events.CacheDependency;
import io.ballast.events.CacheInvalidation;
import io.ballast.events.EntityChange;
import io.ballast.invalidate.DependencyGraph;
import io.ballast.jobs.invalidate.InvalidatorJob;
import io.ballast.jobs.invalidate.InvalidatorJobConfig;
import io.ballast.serde.EventDecoder;
import io.ballast.serde.EventSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The invalidator job (running, its graph registered, warmed up by uncounted bursts) taking bursts of changes, beside
 * the plain {@link DependencyGraph} closing bursts of the same shape in one thread, interleaved. A round runs from the
 * first change sent to the last invalidation it causes read back from ballast.cache.invalidations.
 */
public final class InvalidatorThroughputBench implements Bench<BenchPlatform> {
    /** The absolute goal; the ratio goal (0.15 of the graph alone) is the figure's. */
    static final double CHANGES_PER_SECOND_GOAL = 10_000;
    private static final Duration ROUND_TIMEOUT = Duration.ofMinutes(5);

    @Override
    public String name() {
        return "invalidator";
    }

    @Override
    public List<Figure> run(BenchPlatform platform, Scale scale) throws Exception {
        CacheTrace trace = new CacheTrace(scale.pick(1_000, 2_000));
        int burst = scale.pick(6_000, 60_000);
        List<CacheDependency> registrations = trace.registrations(Instant.now());
        EventSerializer<SpecificRecord> serializer = new EventSerializer<>(platform.registryClient());
        String group = "bench-invalidator";
        InvalidatorJobConfig config = InvalidatorJobConfig.parse(Map.of("bootstrap.servers", platform.kafka().bootstrapServers(),
                "registry.url", platform.registry().url(), "group.id", group));
        StreamExecutionEnvironment env = FlinkEnvironments.local(platform.directory(group));
        new InvalidatorJob(config, InvalidatorJob.kafka(config)).build(env);
        JobClient job = env.executeAsync(InvalidatorJob.NAME);
        try (Invalidations read = new Invalidations(platform)) {
            // the graph first: changes that overtook their registrations would find no dependents
            KafkaReference.produce(platform.kafka().bootstrapServers(), CacheTrace.records(serializer, Topics.CACHE_DEPS.name(), registrations));
            ConsumerGroups.awaitCaughtUp(platform.kafka(), group, List.of(Topics.CACHE_DEPS.name()), ROUND_TIMEOUT);
            Bursts jobBursts = new Bursts(trace, burst, CacheTrace.graph(registrations));
            Bursts graphBursts = new Bursts(trace, burst, CacheTrace.graph(registrations));
            int warmups = scale.pick(1, 2);
            Interleaved.Pair pair = Interleaved.run(warmups, scale.rounds(),
                    () -> jobBursts.throughJob(platform, serializer, read),
                    () -> graphBursts.throughGraph());
            Suite.progress("invalidator: " + pair.figure().rounds() + " changes/s, DependencyGraph alone " + pair.reference().rounds());
            String workload = trace.entities() + " entities, 3 keys each (item:e on e, pair:e on e and e+1, summary:e on the key "
                    + "item:e, one hop further: through the feedback topic when the other parallel instance owns the key), bursts of "
                    + burst + " changes (one per entity every " + trace.entities() + " ms of event time: none coalesce), "
                    + jobBursts.namesPerChange() + " keys and tags invalidated per change";
            return List.of(new Figure("invalidator.changesPerSecond", "changes/s", pair.figure(),
                    new Reference("dependencyGraph.changesPerSecond", pair.reference(), "DependencyGraph.close over bursts of the "
                            + "same shape, one thread, no Kafka, no Flink"),
                    Goal.ratioAtLeast(0.15), "InvalidatorJob (" + FlinkEnvironments.describe() + ", defaults: coalescing window "
                    + config.coalesceWindow().toMillis() + " ms, checkpoints every " + config.checkpointInterval().toMillis()
                    + " ms) running with its graph registered, after " + warmups + " uncounted burst(s); " + workload
                    + "; a round from the first change sent to its last invalidation read",
                    Map.of("absoluteGoal", CHANGES_PER_SECOND_GOAL, "absoluteGoalMet", pair.figure().median() >= CHANGES_PER_SECOND_GOAL,
                            "namesPerChange", jobBursts.namesPerChange())));
        } finally {
            job.cancel().get();
        }
    }

    /** Bursts of changes with rising versions, and the keys and tags their invalidations should name (from the plain graph). */
    private static final class Bursts {
        private final CacheTrace trace;
        private final int size;
        private final DependencyGraph graph;
        private long nextVersion = 1;
        private long expected;

        Bursts(CacheTrace trace, int size, DependencyGraph graph) {
            this.trace = trace;
            this.size = size;
            this.graph = graph;
        }

        private List<EntityChange> next() {
            List<EntityChange> changes = trace.changes(size, nextVersion, Instant.now());
            nextVersion += (size + trace.entities() - 1) / trace.entities();
            return changes;
        }

        double throughJob(BenchPlatform platform, EventSerializer<SpecificRecord> serializer, Invalidations read) {
            List<EntityChange> changes = next();
            expected += CacheTrace.names(graph, changes);
            var records = CacheTrace.records(serializer, Topics.CHANGES.name(), changes);
            long start = System.nanoTime();
            KafkaReference.produce(platform.kafka().bootstrapServers(), records);
            read.await(expected, ROUND_TIMEOUT);
            return size / ((System.nanoTime() - start) / 1e9);
        }

        double throughGraph() {
            List<EntityChange> changes = next();
            long start = System.nanoTime();
            expected += CacheTrace.names(graph, changes);
            return size / ((System.nanoTime() - start) / 1e9);
        }

        long namesPerChange() {
            return Math.round((double) expected / ((nextVersion - 1) * trace.entities()));
        }
    }

    /** Counts the keys and tags the job's invalidations on ballast.cache.invalidations name, from the beginning. */
    private static final class Invalidations implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final EventDecoder<CacheInvalidation> decoder;
        private long count;

        Invalidations(BenchPlatform platform) {
            decoder = EventDecoder.specific(platform.registryClient(), CacheInvalidation.class);
            consumer = platform.clients().consumer(Map.of("max.poll.records", 5000, "client.id", "bench-invalidations"));
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.CACHE_INVALIDATIONS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        void await(long total, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (count < total) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the invalidator's invalidations named " + count + " keys and tags in " + timeout
                            + ", " + total + " expected");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    count += CacheTrace.names(decoder.decode(record));
                }
            }
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
