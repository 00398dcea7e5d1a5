package io.ballast.jobs.rebalance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.ballast.catalog.TopicInitializer;
import io.ballast.catalog.Topics;
import io.ballast.deadletter.DeadLetterHeaders;
import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.junit.ConsumerGroups;
import io.ballast.embedded.junit.KafkaRecords;
import io.ballast.embedded.junit.WithKafka;
import io.ballast.embedded.junit.WithRegistry;
import io.ballast.events.Action;
import io.ballast.events.Envelope;
import io.ballast.events.NodeMembership;
import io.ballast.events.RebalancePlan;
import io.ballast.events.ShardLoad;
import io.ballast.events.ShardReplica;
import io.ballast.jobs.RocksDbMiniCluster;
import io.ballast.rebalance.Cluster;
import io.ballast.rebalance.ClusterDigest;
import io.ballast.rebalance.Node;
import io.ballast.rebalance.NodeState;
import io.ballast.rebalance.Plan;
import io.ballast.rebalance.PlanRecords;
import io.ballast.rebalance.Planner;
import io.ballast.rebalance.Replica;
import io.ballast.rebalance.Shard;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import io.ballast.serde.EventDecoder;
import io.ballast.serde.EventSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rebalancer job on a MiniCluster (RocksDB, incremental checkpoints) against the real broker and
 * registry: a cluster goes over capacity and gets exactly the planner's plan once its inputs are quiet;
 * a bad shard report is dead-lettered; the executor starts the plan and reports one move done, a node
 * starts draining, and the next plan is the planner's plan on the model with the move in flight as made.
 * Then the job is cancelled and restored from its last checkpoint; a late, older shard report is
 * superseded, the first plan is aborted (its move still in flight is not made), a node joins, and the
 * third plan is the planner's on exactly that model; neither earlier plan is emitted again.
 */
@WithKafka
@WithRegistry
class RebalancerJobTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final String CLUSTER = "search-eu";
    private static final String GROUP = "rebalancer-test";
    @TempDir
    static Path checkpoints;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = RocksDbMiniCluster.extension();

    @BeforeAll
    static void topics(EmbeddedKafka kafka) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicInitializer(admin, (short) 1).ensure(List.of(Topics.NODES, Topics.SHARDS_LOAD, Topics.ACTIONS,
                    Topics.PLANS_REBALANCE, Topics.DLQ));
        }
    }

    @Test
    void plansTheModelWithMovesInFlightAcrossARestoreExactlyOnce(EmbeddedKafka kafka, ApicurioRegistry registry) throws Exception {
        JobClient job = start(kafka, registry, null);
        produce(kafka, registry, List.of(node("a", NodeState.ACTIVE, 0), node("b", NodeState.ACTIVE, 0), node("c", NodeState.ACTIVE, 0),
                shard("s1", 50, "a", 0), shard("s2", 40, "a", 0), shard("s3", 30, "b", 0), shard("s4", 30, "c", 0),
                shard("s5", -5, "c", 0)));
        ConsumerGroups.awaitCaughtUp(kafka, GROUP, List.of(Topics.NODES.name(), Topics.SHARDS_LOAD.name()), Duration.ofSeconds(60));
        // a later input moves the watermark past the quiet period: the cluster is planned as of T0 + 30 s
        produce(kafka, registry, List.of(node("a", NodeState.ACTIVE, 120)));

        String firstId = PlanRecords.planId(CLUSTER, T0.plusSeconds(30));
        Plan expected = new Planner().plan(cluster(Map.of("s1", "a", "s2", "a", "s3", "b", "s4", "c"), NodeState.ACTIVE));
        assertEquals(List.of("s2 a->b", "s3 b->c"), summary(expected));
        List<RebalancePlan> recorded = plans(kafka, registry, 1);
        // what it was computed from: the model's digest, and the last record read of the nodes' and shards' partitions
        assertEquals(ClusterDigest.of(cluster(Map.of("s1", "a", "s2", "a", "s3", "b", "s4", "c"), NodeState.ACTIVE)),
                recorded.get(0).getModelDigest());
        assertEquals(List.of(Topics.NODES.name(), Topics.SHARDS_LOAD.name()),
                recorded.get(0).getInputPositions().stream().map(p -> p.getTopic().toString()).toList());
        assertEquals(List.of(PlanRecords.toEvent(expected, firstId, T0.plusSeconds(30), RebalancerJob.NAME).toString()),
                recorded.stream().map(RebalancerJobTest::withoutInputs).map(RebalancePlan::toString).toList());

        List<ConsumerRecord<byte[], byte[]>> dead = KafkaRecords.await(kafka, Topics.DLQ.name(),
                r -> r.key() != null && CLUSTER.equals(new String(r.key(), StandardCharsets.UTF_8)), 1, Duration.ofSeconds(30));
        assertEquals("INVALID_EVENT " + Topics.SHARDS_LOAD.name() + " sizeBytes: -5 is negative",
                header(dead.get(0), DeadLetterHeaders.REASON_CODE) + " " + header(dead.get(0), DeadLetterHeaders.ORIGINAL_TOPIC)
                        + " " + header(dead.get(0), DeadLetterHeaders.REASON));

        produce(kafka, registry, List.of(progress("rebalance.started", firstId, null, 130),
                progress("rebalance.move_done", firstId, "s2 a b", 130), node("c", NodeState.DRAINING, 140)));
        ConsumerGroups.awaitCaughtUp(kafka, GROUP, List.of(Topics.NODES.name(), Topics.ACTIONS.name()), Duration.ofSeconds(60));
        produce(kafka, registry, List.of(node("a", NodeState.ACTIVE, 600)));

        // s2 is on b (done); s3 is on its way to c (in flight, so seen there); c drains: s3 and s4 leave it
        Plan drain = new Planner().plan(cluster(Map.of("s1", "a", "s2", "b", "s3", "c", "s4", "c"), NodeState.DRAINING));
        assertEquals(Plan.Trigger.NODE_DRAINING, drain.trigger());
        Instant second = T0.plusSeconds(170);
        List<RebalancePlan> plans = plans(kafka, registry, 2);
        String secondId = PlanRecords.planId(CLUSTER, second);
        assertEquals(PlanRecords.toEvent(drain, secondId, second, RebalancerJob.NAME).toString(), withoutInputs(plans.get(1)).toString());

        // the job stops and comes back from its last checkpoint
        ConsumerGroups.awaitCaughtUp(kafka, GROUP, List.of(Topics.NODES.name(), Topics.ACTIONS.name()), Duration.ofSeconds(60));
        job.cancel().get();
        JobClient restored = start(kafka, registry, RocksDbMiniCluster.lastCheckpoint(checkpoints, job));
        // s1 reported again, then an older report of it arrives late (superseded); the executor starts the drain
        // plan and aborts it; d joins. The first plan's move of s3 b->c is still in flight (carried), the drain
        // plan's moves are not: the model has s3 and s4 on the draining c
        produce(kafka, registry, List.of(shard("s1", 50, "a", 605), shard("s1", 50, "b", 604),
                progress("rebalance.started", secondId, null, 610), progress("rebalance.aborted", secondId, null, 615),
                node("d", NodeState.ACTIVE, 620)));
        ConsumerGroups.awaitCaughtUp(kafka, GROUP, List.of(Topics.NODES.name(), Topics.SHARDS_LOAD.name(), Topics.ACTIONS.name()),
                Duration.ofSeconds(60));
        produce(kafka, registry, List.of(node("a", NodeState.ACTIVE, 1200)));

        Plan third = new Planner().plan(withNodeD(cluster(Map.of("s1", "a", "s2", "b", "s3", "c", "s4", "c"), NodeState.DRAINING)));
        assertEquals(Plan.Trigger.NODE_DRAINING, third.trigger());
        // what the job would plan had it taken the late report, or not seen the abort
        assertNotEquals(summary(third), summary(new Planner().plan(withNodeD(cluster(
                Map.of("s1", "b", "s2", "b", "s3", "c", "s4", "c"), NodeState.DRAINING)))));
        Map<String, String> drained = new java.util.HashMap<>(Map.of("s1", "a", "s2", "b"));
        drain.moves().forEach(m -> drained.put(m.shard(), m.to()));
        assertNotEquals(summary(third), summary(new Planner().plan(withNodeD(cluster(drained, NodeState.DRAINING)))));
        Instant thirdAt = T0.plusSeconds(650);
        // exactly three plans: the restored job emitted neither of the first two again
        assertEquals(List.of(withoutInputs(plans.get(0)).toString(), withoutInputs(plans.get(1)).toString(),
                        PlanRecords.toEvent(third, PlanRecords.planId(CLUSTER, thirdAt), thirdAt, RebalancerJob.NAME).toString()),
                plans(kafka, registry, 3).stream().map(RebalancerJobTest::withoutInputs).map(RebalancePlan::toString).toList());
        restored.cancel().get();
    }

    private static Cluster withNodeD(Cluster cluster) {
        List<Node> nodes = new ArrayList<>(cluster.nodes());
        nodes.add(new Node("d", "r", NodeState.ACTIVE, Map.of("disk", 100.0)));
        return new Cluster(cluster.id(), nodes, cluster.shards());
    }

    private static Cluster cluster(Map<String, String> placement, NodeState c) {
        List<Node> nodes = List.of(new Node("a", "r", NodeState.ACTIVE, Map.of("disk", 100.0)),
                new Node("b", "r", NodeState.ACTIVE, Map.of("disk", 100.0)), new Node("c", "r", c, Map.of("disk", 100.0)));
        Map<String, Long> sizes = Map.of("s1", 50L, "s2", 40L, "s3", 30L, "s4", 30L);
        List<Shard> shards = new ArrayList<>();
        placement.forEach((id, on) -> shards.add(new Shard(id, List.of(new Replica(on, true)), sizes.get(id), Map.of())));
        return new Cluster(CLUSTER, nodes, shards);
    }

    private static List<String> summary(Plan plan) {
        return plan.moves().stream().map(m -> m.shard() + " " + m.from() + "->" + m.to()).toList();
    }

    private static JobClient start(EmbeddedKafka kafka, ApicurioRegistry registry, Path restoreFrom) throws Exception {
        RebalancerJobConfig config = RebalancerJobConfig.parse(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "registry.url", registry.url(), "checkpoint.interval", "300ms", "source.idleness", "500ms", "source.resume.grace", "100ms",
                "quiet.period", "30s", "out.of.orderness", "5s", "group.id", GROUP, "transactional.id.prefix", GROUP));
        Configuration conf = RocksDbMiniCluster.jobConfiguration(checkpoints);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        new RebalancerJob(config, RebalancerJob.kafka(config)).build(env);
        return RocksDbMiniCluster.submit(env, RebalancerJob.NAME, restoreFrom);
    }

    private static NodeMembership node(String id, NodeState state, int second) {
        return NodeMembership.newBuilder().setEnvelope(envelope(CLUSTER + "/" + id, "NodeMembership", second)).setCluster(CLUSTER)
                .setNode(id).setRack("r").setState(io.ballast.events.NodeState.valueOf(state.name()))
                .setCapacity(Map.of("disk", 100.0)).build();
    }

    private static ShardLoad shard(String id, long size, String on, int second) {
        return ShardLoad.newBuilder().setEnvelope(envelope(CLUSTER, "ShardLoad", second)).setCluster(CLUSTER).setShard(id)
                .setReplicas(List.of(ShardReplica.newBuilder().setNode(on).setLeader(true).build())).setSizeBytes(size).build();
    }

    private static Action progress(String action, String planId, String move, int second) {
        Map<String, String> attributes = new java.util.TreeMap<>(Map.of("planId", planId));
        if (move != null) {
            String[] m = move.split(" ");
            attributes.putAll(Map.of("shard", m[0], "from", m[1], "to", m[2]));
        }
        return Action.newBuilder().setEnvelope(envelope(CLUSTER, "Action", second)).setActor("executor").setAction(action)
                .setTarget(CLUSTER).setAttributes(attributes).build();
    }

    private static Envelope envelope(String subject, String type, int second) {
        Instant at = T0.plusSeconds(second);
        return Envelope.newBuilder().setEventId(UUID.randomUUID()).setType(type).setSource("test").setSubject(subject)
                .setOccurredAt(at).setRecordedAt(at).build();
    }

    private static void produce(EmbeddedKafka kafka, ApicurioRegistry registry, List<SpecificRecord> events) throws Exception {
        EventSerializer<SpecificRecord> serializer = new EventSerializer<>(RegistryClient.connect(RegistryConfig.of(registry.url())));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (SpecificRecord event : events) {
                String topic = event instanceof NodeMembership ? Topics.NODES.name()
                        : event instanceof ShardLoad ? Topics.SHARDS_LOAD.name() : Topics.ACTIONS.name();
                Envelope envelope = (Envelope) event.get(0);
                producer.send(new ProducerRecord<>(topic, envelope.getSubject().getBytes(StandardCharsets.UTF_8),
                        serializer.serialize(topic, event))).get();
            }
        }
    }

    private static List<RebalancePlan> plans(EmbeddedKafka kafka, ApicurioRegistry registry, int count) {
        EventDecoder<RebalancePlan> decoder = EventDecoder.specific(RegistryClient.connect(RegistryConfig.of(registry.url())), RebalancePlan.class);
        List<RebalancePlan> plans = new ArrayList<>();
        KafkaRecords.await(kafka, Topics.PLANS_REBALANCE.name(), r -> CLUSTER.equals(new String(r.key(), StandardCharsets.UTF_8)),
                count, Duration.ofSeconds(60)).forEach(r -> plans.add(decoder.decode(r)));
        return plans;
    }

    /** The plan without what it was computed from (checked on the first plan), to compare with the planner's. */
    private static RebalancePlan withoutInputs(RebalancePlan plan) {
        return RebalancePlan.newBuilder(plan).setInputPositions(List.of()).setModelDigest(null).build();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        return new String(record.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }
}
