package io.ballast.bench.autoscale;

import static io.ballast.bench.autoscale.ScalingEvents.envelope;
import static io.ballast.bench.autoscale.ScalingEvents.policy;
import static io.ballast.bench.autoscale.ScalingEvents.sample;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.ballast.bench.report.Bench;
import io.ballast.bench.report.BenchPlatform;
import io.ballast.bench.report.Figure;
import io.ballast.bench.report.Goal;
import io.ballast.bench.report.Scale;
import io.ballast.bench.report.Spread;
import io.ballast.bench.report.Suite;
import io.ballast.catalog.Topics;
import io.ballast.embedded.junit.ConsumerGroups;
import io.ballast.events.Envelope;
import io.ballast.events.ReplicaStatus;
import io.ballast.jobs.autoscale.AutoscalerJob;
import io.ballast.jobs.autoscale.AutoscalerJobConfig;
import io.ballast.serde.EventSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * How long a decision takes to be seen: live samples (event time = wall time) of services whose load flips at every
 * evaluation, the autoscaler job with its defaults (but a 2 s sync period, for more decisions a minute), and a
 * read_committed consumer on ballast.decisions.scaling; a decision's latency is the wall time it is read at minus its
 * evaluation instant (the record's timestamp). Figure: the p99 of each round's decisions.
 */
public final class DecisionLatencyBench implements Bench<BenchPlatform> {
    private static final Duration SYNC_PERIOD = Duration.ofSeconds(2);
    private static final long SAMPLE_EVERY_MILLIS = 500;

    @Override
    public String name() {
        return "decision-latency";
    }

    @Override
    public List<Figure> run(BenchPlatform platform, Scale scale) throws Exception {
        int services = scale.pick(10, 20);
        int perRound = scale.pick(10, 60);
        String group = "bench-latency";
        AutoscalerJobConfig config = AutoscalerJobConfig.parse(Map.of("bootstrap.servers", platform.kafka().bootstrapServers(),
                "registry.url", platform.registry().url(), "sync.period", SYNC_PERIOD.toSeconds() + "s",
                "group.id", group, "transactional.id.prefix", group));
        long goal = config.checkpointInterval().toMillis() + 500;
        // live input only, not a backlog other figures left in the topics (that is read by the watermark alone)
        ConsumerGroups.startAtTheEnd(platform.kafka(), group, List.of(Topics.POLICIES.name(), Topics.REPLICAS.name(), Topics.METRICS_RAW.name()));
        StreamExecutionEnvironment env = FlinkEnvironments.local(platform.directory(group));
        new AutoscalerJob(config, AutoscalerJob.kafka(config)).build(env);
        JobClient job = env.executeAsync(AutoscalerJob.NAME);
        EventSerializer<SpecificRecord> serializer = new EventSerializer<>(platform.registryClient());
        List<Double> p99 = new ArrayList<>();
        List<Double> p50 = new ArrayList<>();
        long late;
        try (KafkaProducer<byte[], byte[]> producer = platform.clients().producer(Map.of("linger.ms", 0));
             KafkaConsumer<byte[], byte[]> decisions = platform.clients().consumer(Map.of("isolation.level", "read_committed"))) {
            Instant now = Instant.now();
            for (int s = 0; s < services; s++) {
                send(producer, serializer, Topics.POLICIES.name(), policy(service(s), now));
                send(producer, serializer, Topics.REPLICAS.name(), ReplicaStatus.newBuilder().setEnvelope(envelope(service(s), "ReplicaStatus", now))
                        .setService(service(s)).setCurrentReplicas(2).setDesiredReplicas(2).setReadyReplicas(2).build());
            }
            List<TopicPartition> partitions = decisions.partitionsFor(Topics.DECISIONS_SCALING.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            decisions.assign(partitions);
            decisions.seekToEnd(partitions);
            partitions.forEach(decisions::position);
            Map<TopicPartition, Long> lateFrom = endOffsets(decisions, Topics.DECISIONS_SCALING_LATE.name());
            // one uncounted round: the job's first decisions wait for its start and the JIT
            collect(producer, decisions, serializer, services, perRound);
            for (int r = 0; r < scale.rounds(); r++) {
                List<Long> latencies = collect(producer, decisions, serializer, services, perRound);
                p99.add((double) latencies.get((int) Math.ceil(latencies.size() * 0.99) - 1));
                p50.add((double) latencies.get(latencies.size() / 2));
            }
            late = countSince(platform, lateFrom);
        } finally {
            job.cancel().get();
        }
        Suite.progress("decision latency: p99 " + p99 + " ms, p50 " + p50 + " ms; " + late + " late inputs");
        return List.of(new Figure("autoscaler.decisionLatencyP99Millis", "ms", new Spread(p99), null, Goal.valueAtMost(goal),
                "AutoscalerJob (" + FlinkEnvironments.describe() + "; its defaults: out.of.orderness " + config.outOfOrderness().toMillis()
                        + " ms, evaluation.deadline " + config.evaluationDeadline().toMillis() + " ms, checkpoints every " + config.checkpointInterval().toMillis() + " ms; sync period "
                        + SYNC_PERIOD.toSeconds() + " s) on live samples of " + services + " services x 2 instances every "
                        + SAMPLE_EVERY_MILLIS + " ms (event time = wall time), load flipping at every evaluation; p99 of " + perRound
                        + " decisions a round, from the evaluation instant to read by a read_committed consumer; after one uncounted round",
                Map.of("goalNote", "the checkpoint interval + 500 ms (the issue's goal)", "p50Millis", new Spread(p50).rounds(),
                        "lateInputs", late)));
    }

    /** Sends live samples until {@code count} decisions were read; their latencies, sorted. */
    private static List<Long> collect(KafkaProducer<byte[], byte[]> producer, KafkaConsumer<byte[], byte[]> decisions,
                                      EventSerializer<SpecificRecord> serializer, int services, int count) {
        List<Long> latencies = new ArrayList<>();
        long lastSample = 0;
        long deadline = System.currentTimeMillis() + Duration.ofMinutes(5).toMillis();
        while (latencies.size() < count) {
            long wall = System.currentTimeMillis();
            if (wall > deadline) {
                throw new IllegalStateException("only " + latencies.size() + " of " + count + " decisions in 5 minutes");
            }
            if (wall - lastSample >= SAMPLE_EVERY_MILLIS) {
                lastSample = wall;
                double cpu = (wall / SYNC_PERIOD.toMillis()) % 2 == 0 ? 0.2 : 0.9;
                for (int s = 0; s < services; s++) {
                    for (int i = 0; i < 2; i++) {
                        send(producer, serializer, Topics.METRICS_RAW.name(), sample(service(s), service(s) + "-" + i, Instant.ofEpochMilli(wall), cpu));
                    }
                }
            }
            for (ConsumerRecord<byte[], byte[]> r : decisions.poll(Duration.ofMillis(20))) {
                latencies.add(System.currentTimeMillis() - r.timestamp());
            }
        }
        latencies.sort(Long::compare);
        return latencies;
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, EventSerializer<SpecificRecord> serializer, String topic, SpecificRecord event) {
        producer.send(new ProducerRecord<>(topic, ((Envelope) event.get(0)).getSubject().getBytes(StandardCharsets.UTF_8),
                serializer.serialize(topic, event)));
    }

    private static Map<TopicPartition, Long> endOffsets(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        return consumer.endOffsets(consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList());
    }

    /**
     * The committed records after {@code from}: the inputs the job recorded as late (a sample read after the evaluation it
     * belonged to, which an evaluation at its deadline risks), all of the bench's own since nothing else runs.
     */
    private static long countSince(BenchPlatform platform, Map<TopicPartition, Long> from) {
        try (KafkaConsumer<byte[], byte[]> consumer = platform.clients().consumer(Map.of("isolation.level", "read_committed"))) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            Map<TopicPartition, Long> to = consumer.endOffsets(from.keySet());
            long count = 0;
            long deadline = System.currentTimeMillis() + 30_000;
            while (from.keySet().stream().anyMatch(tp -> consumer.position(tp) < to.get(tp))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("could not read " + to + " of the late inputs' topic in 30 s");
                }
                count += consumer.poll(Duration.ofMillis(200)).count();
            }
            return count;
        }
    }

    private static String service(int s) {
        return "live-" + s;
    }



}
