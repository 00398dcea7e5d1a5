package io.ballast.jobs.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.ballast.autoscale.AutoscalerSettings;
import io.ballast.autoscale.DecisionRecords;
import io.ballast.autoscale.Input;
import io.ballast.autoscale.PolicyValidation;
import io.ballast.autoscale.Simulation;
import io.ballast.catalog.TopicInitializer;
import io.ballast.catalog.Topics;
import io.ballast.deadletter.DeadLetterHeaders;
import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.junit.Await;
import io.ballast.embedded.junit.ConsumerGroups;
import io.ballast.embedded.junit.KafkaRecords;
import io.ballast.embedded.junit.WithKafka;
import io.ballast.embedded.junit.WithRegistry;
import io.ballast.events.Envelope;
import io.ballast.events.LateScalingInput;
import io.ballast.events.MetricSample;
import io.ballast.events.MetricSourceType;
import io.ballast.events.MetricTarget;
import io.ballast.events.ReplicaStatus;
import io.ballast.events.ScalingBehavior;
import io.ballast.events.ScalingDecision;
import io.ballast.events.ScalingPolicy;
import io.ballast.events.ScalingRules;
import io.ballast.events.TargetType;
import io.ballast.jobs.RocksDbMiniCluster;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import io.ballast.serde.EventDecoder;
import io.ballast.serde.EventSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The autoscaler job on a MiniCluster (RocksDB, incremental checkpoints) against the real broker and
 * registry: a trace in, the exact decisions out, bad policies and samples dead-lettered while the valid
 * policy stays in force; and the same trace with the job cancelled mid-way and restored from its last
 * checkpoint gives the same decisions, none duplicated for a read_committed consumer. A status read after its evaluation
 * is recorded on ballast.decisions.scaling.late with where it was read. Live samples are decided at the evaluation
 * deadline, however far behind the watermark is.
 */
@WithKafka
@WithRegistry
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutoscalerJobTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final InMemoryReporter METRICS = InMemoryReporter.create();
    @TempDir
    static Path checkpoints;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = RocksDbMiniCluster.extension(METRICS.addToConfiguration(new Configuration()));

    @BeforeAll
    static void topics(EmbeddedKafka kafka) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicInitializer(admin, (short) 1).ensure(List.of(Topics.POLICIES, Topics.REPLICAS, Topics.METRICS_RAW,
                    Topics.DECISIONS_SCALING, Topics.DECISIONS_SCALING_LATE, Topics.DLQ));
        }
    }

    @Test
    void aTraceGivesTheExactDecisionsAndBadInputIsDeadLettered(EmbeddedKafka kafka, ApicurioRegistry registry) throws Exception {
        String service = "checkout-a";
        produce(kafka, registry, firstHalf(service));
        produce(kafka, registry, secondHalf(service));
        JobClient job = start(kafka, registry, "run-a", null);
        List<ScalingDecision> decisions = awaitDecisions(kafka, registry, service, 2);
        // the evaluation at 120 s has run: a status stamped 100 s is late, taken at the next evaluation, and recorded so
        RecordMetadata lateStatus = produce(kafka, registry, List.of(ReplicaStatus.newBuilder()
                .setEnvelope(envelope(service, "ReplicaStatus", T0.plusSeconds(100))).setService(service)
                .setCurrentReplicas(3).setDesiredReplicas(3).setReadyReplicas(3).build())).get(0);
        LateScalingInput late = awaitLate(kafka, registry, service);
        job.cancel().get();

        assertEquals(List.of(Topics.REPLICAS.name(), lateStatus.partition(), lateStatus.offset(), "ReplicaStatus", T0.plusSeconds(100)),
                List.of(late.getInputTopic(), late.getInputPartition(), late.getInputOffset(), late.getInputType(),
                        late.getEnvelope().getOccurredAt()));
        assertEquals(late.getLastEvaluatedAt().plusSeconds(15), late.getTakenAt(), "taken at the evaluation after the last one run");
        assertEquals(true, !late.getLastEvaluatedAt().isBefore(T0.plusSeconds(120)), late::toString);

        assertEquals(List.of("2->6@60", "6->3@120"), summary(decisions));
        assertEquals(simulate(service), decisions.stream().map(ScalingDecision::toString).toList());
        List<ConsumerRecord<byte[], byte[]>> dead = deadLetters(kafka, service);
        assertEquals(List.of("INVALID_EVENT " + Topics.METRICS_RAW.name() + " $.value: must be a finite number, got NaN",
                "INVALID_EVENT " + Topics.POLICIES.name() + " $.minReplicas: 9 is above maxReplicas 5"), dead.stream()
                .map(r -> header(r, DeadLetterHeaders.REASON_CODE) + " " + header(r, DeadLetterHeaders.ORIGINAL_TOPIC) + " "
                        + header(r, DeadLetterHeaders.REASON)).sorted().toList());
    }

    @Test
    void cancelledMidWayAndRestoredFromItsLastCheckpointItGivesTheSameDecisionsOnce(EmbeddedKafka kafka, ApicurioRegistry registry)
            throws Exception {
        String service = "checkout-b";
        produce(kafka, registry, firstHalf(service));
        JobClient first = start(kafka, registry, "run-b", null);
        assertEquals(List.of("2->6@60"), summary(awaitDecisions(kafka, registry, service, 1)));
        first.cancel().get();
        Path checkpoint = RocksDbMiniCluster.lastCheckpoint(checkpoints.resolve("run-b"), first);

        produce(kafka, registry, secondHalf(service));
        JobClient restored = start(kafka, registry, "run-b", checkpoint);
        List<ScalingDecision> decisions = awaitDecisions(kafka, registry, service, 2);
        restored.cancel().get();
        assertEquals(List.of("2->6@60", "6->3@120"), summary(decisions));
        assertEquals(simulate(service), decisions.stream().map(ScalingDecision::toString).toList());
    }

    /**
     * The README walkthrough's race, made certain: every source idle, the replica statuses of a trace (the last 80 s
     * in) read before its policy and samples are even produced. The statuses' split holds its watermark
     * for {@code source.resume.grace}, so the samples read meanwhile are not late. With Flink's plain idleness (a grace
     * of 0) the statuses' watermark alone moved the job past the samples' evaluations: no decision at 60 s, samples late.
     * Before the live test, whose wall-clock samples would leave the trace behind the watermark.
     */
    @Test
    @Order(Integer.MAX_VALUE - 2)
    void inputsThatArriveTogetherOnIdleTopicsAreNotLateWhicheverSourceReadsFirst(EmbeddedKafka kafka, ApicurioRegistry registry)
            throws Exception {
        String service = "checkout-resumed";
        Instant t1 = T0.plus(Duration.ofDays(1));
        String run = "run-resumed";
        JobClient job = startWithEverySourceIdle(kafka, registry, run, "4s", 15);
        try {
            long statusesBefore = recordsRead(job, Topics.REPLICAS.name());
            produce(kafka, registry, List.of(status(service, t1), status(service, t1.plusSeconds(80))));
            // read, as the source's counter says (its offsets are committed up to 10 s later: the fetcher's poll timeout)
            Await.until("the statuses read", Duration.ofSeconds(30), () -> recordsRead(job, Topics.REPLICAS.name()) == statusesBefore + 2);
            List<SpecificRecord> trace = new ArrayList<>(List.of(policy(service, 1, 1, 10, t1)));
            for (int t = 0; t <= 100; t += 5) {
                trace.add(queue(service, t1.plusSeconds(t), t < 60 ? 2 : 6));
            }
            produce(kafka, registry, trace);

            ScalingDecision decision = awaitDecisions(kafka, registry, service, 1).get(0);
            assertEquals("2->6@60", decision.getCurrentReplicas() + "->" + decision.getDesiredReplicas() + "@"
                    + Duration.between(t1, decision.getEvaluatedAt()).toSeconds());
        } finally {
            job.cancel().get();
        }
    }

    /**
     * The README walkthrough's other race, made certain: the metrics partition read an old sample a few seconds before
     * the trace (longer than {@code source.resume.grace}, shorter than {@code source.idleness}: paused, not idle), the
     * other sources idle; the trace's statuses and samples are read before its policy is even produced. The samples'
     * split keeps the watermark it had for the grace, so the policy read meanwhile is not late. When only a split back
     * from idleness had a grace, the samples' watermark alone ran every evaluation before the policy was read: no decision.
     */
    @Test
    @Order(Integer.MAX_VALUE - 1)
    void aTracesPolicyReadJustAfterItsSamplesIsNotLateWhenTheSamplesPartitionHadOnlyPaused(EmbeddedKafka kafka,
                                                                                            ApicurioRegistry registry) throws Exception {
        String service = "checkout-paused";
        Instant t2 = T0.plus(Duration.ofDays(2));
        String run = "run-paused";
        JobClient job = startWithEverySourceIdle(kafka, registry, run, "8s", 30);
        try {
            // the README's example: an old sample of the same service (so the same partition), a few seconds before the trace
            long samplesBefore = recordsRead(job, Topics.METRICS_RAW.name());
            produce(kafka, registry, List.of(queue(service, t2.minus(Duration.ofHours(1)), 1)));
            Await.until("the old sample read", Duration.ofSeconds(30), () -> recordsRead(job, Topics.METRICS_RAW.name()) == samplesBefore + 1);
            int sampleRead = checkpointsCompleted(run, job);
            Await.until("12 more checkpoints (3.6 s): the metrics partition paused longer than the grace", Duration.ofSeconds(60),
                    () -> checkpointsCompleted(run, job) >= sampleRead + 12);

            long statusesBefore = recordsRead(job, Topics.REPLICAS.name());
            List<SpecificRecord> statusesAndSamples = new ArrayList<>(List.of(status(service, t2), status(service, t2.plusSeconds(80))));
            for (int t = 0; t <= 100; t += 5) {
                statusesAndSamples.add(queue(service, t2.plusSeconds(t), t < 60 ? 2 : 6));
            }
            produce(kafka, registry, statusesAndSamples);
            Await.until("the statuses and samples read", Duration.ofSeconds(30), () -> recordsRead(job, Topics.REPLICAS.name()) == statusesBefore + 2
                    && recordsRead(job, Topics.METRICS_RAW.name()) == samplesBefore + 22);
            produce(kafka, registry, List.of(policy(service, 1, 1, 10, t2)));

            ScalingDecision decision = awaitDecisions(kafka, registry, service, 1).get(0);
            assertEquals("2->6@60", decision.getCurrentReplicas() + "->" + decision.getDesiredReplicas() + "@"
                    + Duration.between(t2, decision.getEvaluatedAt()).toSeconds());
        } finally {
            job.cancel().get();
        }
    }

    /**
     * Last: its samples are stamped with the wall clock, and a job that reads them after the trace's (all on the shared
     * broker's topics) has its watermark jump eleven months, past the trace services' idle timeout.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void liveSamplesAreDecidedAtTheDeadlineWithoutWaitingForTheWatermark(EmbeddedKafka kafka, ApicurioRegistry registry) throws Exception {
        String service = "checkout-live";
        // an hour of out-of-orderness: within this test only the deadline can run an evaluation
        JobClient job = start(kafka, registry, "run-live", null, Map.of("out.of.orderness", "1h", "sync.period", "3s",
                "evaluation.deadline", "1s"));
        ScheduledExecutorService producer = Executors.newSingleThreadScheduledExecutor();
        try {
            Instant start = Instant.now();
            produce(kafka, registry, List.of(policy(service, 1, 1, 10, start), status(service, start)));
            producer.scheduleAtFixedRate(() -> {
                try {
                    produce(kafka, registry, List.of(queue(service, Instant.now(), 6)));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, 0, 200, TimeUnit.MILLISECONDS);
            ScalingDecision decision = awaitDecisions(kafka, registry, service, 1).get(0);
            assertEquals(List.of(2, 6), List.of(decision.getCurrentReplicas(), decision.getDesiredReplicas()));
            assertEquals(0, decision.getEvaluatedAt().toEpochMilli() % 3_000, "at a sync instant");
            assertEquals(true, decision.getEvaluatedAt().isAfter(start), decision.getEvaluatedAt() + " after " + start);
        } finally {
            producer.shutdownNow();
            job.cancel().get();
        }
    }

    private static JobClient start(EmbeddedKafka kafka, ApicurioRegistry registry, String run, Path restoreFrom) throws Exception {
        return start(kafka, registry, run, restoreFrom, Map.of());
    }

    private static JobClient start(EmbeddedKafka kafka, ApicurioRegistry registry, String run, Path restoreFrom,
                                   Map<String, String> settings) throws Exception {
        return start(kafka, registry, run, restoreFrom, settings, new Configuration());
    }

    private static JobClient start(EmbeddedKafka kafka, ApicurioRegistry registry, String run, Path restoreFrom,
                                   Map<String, String> settings, Configuration flink) throws Exception {
        Map<String, String> keys = new java.util.HashMap<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "registry.url", registry.url(), "checkpoint.interval", "300ms", "source.idleness", "500ms", "source.resume.grace", "100ms",
                "group.id", "autoscaler-" + run, "transactional.id.prefix", "autoscaler-" + run));
        keys.putAll(settings);
        AutoscalerJobConfig config = AutoscalerJobConfig.parse(keys);
        Configuration conf = RocksDbMiniCluster.jobConfiguration(checkpoints.resolve(run));
        conf.addAll(flink);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        new AutoscalerJob(config, AutoscalerJob.kafka(config)).build(env);
        return RocksDbMiniCluster.submit(env, AutoscalerJob.NAME + "-" + run, restoreFrom);
    }

    /**
     * The job with a 3 s {@code source.resume.grace} and a watermark emission every 10 ms (right after a source reads:
     * without the grace a race is lost every time), returned once it has read the other tests' topics to their end and
     * {@code checkpoints} more checkpoints (300 ms apart) have passed: every source idle, when they outlast {@code idleness}.
     */
    private static JobClient startWithEverySourceIdle(EmbeddedKafka kafka, ApicurioRegistry registry, String run, String idleness,
                                                      int checkpoints) throws Exception {
        Configuration everyTenMillis = new Configuration();
        everyTenMillis.set(org.apache.flink.configuration.PipelineOptions.AUTO_WATERMARK_INTERVAL, Duration.ofMillis(10));
        JobClient job = start(kafka, registry, run, null, Map.of("source.idleness", idleness, "source.resume.grace", "3s"), everyTenMillis);
        try {
            ConsumerGroups.awaitCaughtUp(kafka, "autoscaler-" + run,
                    List.of(Topics.POLICIES.name(), Topics.REPLICAS.name(), Topics.METRICS_RAW.name()), Duration.ofSeconds(60));
            int caughtUp = checkpointsCompleted(run, job);
            Await.until(checkpoints + " more checkpoints: every source idle", Duration.ofSeconds(60),
                    () -> checkpointsCompleted(run, job) >= caughtUp + checkpoints);
            return job;
        } catch (Exception | AssertionError e) {
            job.cancel().get();
            throw e;
        }
    }

    /** How many records the job's source of {@code topic} has read, all its subtasks together. */
    private static long recordsRead(JobClient job, String topic) {
        return METRICS.findOperatorMetricGroups(job.getJobID(), "Source: " + topic).stream()
                .mapToLong(group -> group.getIOMetricGroup().getNumRecordsInCounter().getCount()).sum();
    }

    /** How many checkpoints the job has completed (the number of its latest), 0 before its first. */
    private static int checkpointsCompleted(String run, JobClient job) {
        try {
            Path latest = RocksDbMiniCluster.lastCheckpoint(checkpoints.resolve(run), job);
            return Integer.parseInt(latest.getFileName().toString().substring(4));
        } catch (IOException | AssertionError e) {
            return 0;
        }
    }

    /** A queue metric whose value is the count it asks for; at 60 s it asks for 6, at 120 s for 3. */
    private static List<SpecificRecord> firstHalf(String service) {
        List<SpecificRecord> events = new ArrayList<>();
        events.add(policy(service, 1, 1, 10, 0));
        events.add(ReplicaStatus.newBuilder().setEnvelope(envelope(service, "ReplicaStatus", T0)).setService(service)
                .setCurrentReplicas(2).setDesiredReplicas(2).setReadyReplicas(2).build());
        events.add(policy(service, 2, 9, 5, 30));
        for (int t = 0; t <= 100; t += 5) {
            events.add(queue(service, t, t < 60 ? 2 : 6));
            if (t == 40) {
                events.add(queue(service, t, Double.NaN));
            }
        }
        return events;
    }

    private static List<SpecificRecord> secondHalf(String service) {
        List<SpecificRecord> events = new ArrayList<>();
        for (int t = 105; t <= 200; t += 5) {
            events.add(queue(service, t, t < 120 ? 6 : 3));
        }
        return events;
    }

    private static ScalingPolicy policy(String service, long version, int min, int max, int atSecond) {
        return policy(service, version, min, max, T0.plusSeconds(atSecond));
    }

    private static ReplicaStatus status(String service, Instant at) {
        return ReplicaStatus.newBuilder().setEnvelope(envelope(service, "ReplicaStatus", at)).setService(service)
                .setCurrentReplicas(2).setDesiredReplicas(2).setReadyReplicas(2).build();
    }

    private static ScalingPolicy policy(String service, long version, int min, int max, Instant at) {
        MetricTarget queue = MetricTarget.newBuilder().setName("queue").setSource(MetricSourceType.OBJECT)
                .setTargetType(TargetType.AVERAGE_VALUE).setTarget(1).build();
        ScalingRules down = ScalingRules.newBuilder().setStabilizationWindowSeconds(0).build();
        return ScalingPolicy.newBuilder().setEnvelope(envelope(service, "ScalingPolicy", at))
                .setService(service).setVersion(version).setMinReplicas(min).setMaxReplicas(max).setMetrics(List.of(queue))
                .setBehavior(ScalingBehavior.newBuilder().setScaleDown(down).build()).build();
    }

    private static MetricSample queue(String service, int second, double value) {
        return queue(service, T0.plusSeconds(second), value);
    }

    private static MetricSample queue(String service, Instant at, double value) {
        return MetricSample.newBuilder().setEnvelope(envelope(service, "MetricSample", at))
                .setService(service).setInstance("orders-queue").setMetric("queue").setValue(value).build();
    }

    private static Envelope envelope(String service, String type, Instant at) {
        return Envelope.newBuilder().setEventId(java.util.UUID.nameUUIDFromBytes((service + type + at + Math.random()).getBytes(StandardCharsets.UTF_8)))
                .setType(type).setSource("test").setSubject(service).setOccurredAt(at).setRecordedAt(at).build();
    }

    /** The decisions the plain simulation gives on the same trace (bad events left out): what the job must agree with. */
    private static List<String> simulate(String service) {
        List<Input> inputs = new ArrayList<>();
        for (SpecificRecord e : concat(firstHalf(service), secondHalf(service))) {
            if (e instanceof ScalingPolicy p && PolicyValidation.check(p).isEmpty()) {
                inputs.add(Input.of(p));
            } else if (e instanceof ReplicaStatus r) {
                inputs.add(Input.of(r));
            } else if (e instanceof MetricSample s && Double.isFinite(s.getValue())) {
                inputs.add(Input.of(s));
            }
        }
        return new Simulation(AutoscalerSettings.DEFAULTS, Duration.ofHours(1)).run(inputs).published().stream()
                .map(d -> DecisionRecords.toEvent(d).toString()).toList();
    }

    private static List<SpecificRecord> concat(List<SpecificRecord> a, List<SpecificRecord> b) {
        List<SpecificRecord> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Sends the events, each to its topic, and says where each was written. */
    private static List<RecordMetadata> produce(EmbeddedKafka kafka, ApicurioRegistry registry, List<SpecificRecord> events)
            throws Exception {
        List<RecordMetadata> written = new ArrayList<>();
        EventSerializer<SpecificRecord> serializer = new EventSerializer<>(RegistryClient.connect(RegistryConfig.of(registry.url())));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (SpecificRecord event : events) {
                String topic = event instanceof ScalingPolicy ? Topics.POLICIES.name()
                        : event instanceof ReplicaStatus ? Topics.REPLICAS.name() : Topics.METRICS_RAW.name();
                Envelope envelope = (Envelope) event.get(0);
                written.add(producer.send(new ProducerRecord<>(topic, envelope.getSubject().getBytes(StandardCharsets.UTF_8),
                        serializer.serialize(topic, event))).get());
            }
        }
        return written;
    }

    private static LateScalingInput awaitLate(EmbeddedKafka kafka, ApicurioRegistry registry, String service) {
        EventDecoder<LateScalingInput> decoder = EventDecoder.specific(RegistryClient.connect(RegistryConfig.of(registry.url())),
                LateScalingInput.class);
        return decoder.decode(KafkaRecords.await(kafka, Topics.DECISIONS_SCALING_LATE.name(),
                r -> service.equals(new String(r.key(), StandardCharsets.UTF_8)), 1, Duration.ofSeconds(60)).get(0));
    }

    private static List<ScalingDecision> awaitDecisions(EmbeddedKafka kafka, ApicurioRegistry registry, String service, int count) {
        EventDecoder<ScalingDecision> decoder = EventDecoder.specific(RegistryClient.connect(RegistryConfig.of(registry.url())), ScalingDecision.class);
        List<ConsumerRecord<byte[], byte[]>> records = KafkaRecords.await(kafka, Topics.DECISIONS_SCALING.name(),
                r -> service.equals(new String(r.key(), StandardCharsets.UTF_8)), count, Duration.ofSeconds(60));
        List<ScalingDecision> decisions = new ArrayList<>();
        records.forEach(r -> decisions.add(decoder.decode(r)));
        return decisions;
    }

    private static List<ConsumerRecord<byte[], byte[]>> deadLetters(EmbeddedKafka kafka, String service) {
        return KafkaRecords.await(kafka, Topics.DLQ.name(), r -> r.key() != null && service.equals(new String(r.key(), StandardCharsets.UTF_8)),
                2, Duration.ofSeconds(30));
    }

    private static List<String> summary(List<ScalingDecision> decisions) {
        return decisions.stream().map(d -> d.getCurrentReplicas() + "->" + d.getDesiredReplicas() + "@"
                + Duration.between(T0, d.getEvaluatedAt()).toSeconds()).toList();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        return new String(record.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }
}
