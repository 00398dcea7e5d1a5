package io.ballast.jobs.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.ballast.rederive.RebalanceArchiveFixture;
import io.ballast.catalog.ReplayHeaders;
import io.ballast.catalog.TopicSpec;
import io.ballast.catalog.Topics;
import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.junit.WithKafka;
import io.ballast.embedded.junit.WithRegistry;
import io.ballast.events.AuditOutcome;
import io.ballast.events.AuditReport;
import io.ballast.events.Envelope;
import io.ballast.events.RebalancePlan;
import io.ballast.events.ShardMove;
import io.ballast.jobs.CollectingSink;
import io.ballast.jobs.RocksDbMiniCluster;
import io.ballast.rebalance.InputPosition;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import io.ballast.serde.EventSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bounded audit job on a MiniCluster over a real replay topic: a rebalancer history as the store's replay writes it
 * (wire-format bytes, the replay's headers, in event-time order), a plan the planner made and one forged; the job reports
 * the first matched, the second differing with both explanations, and a summary of the pass, then finishes.
 */
@WithKafka
@WithRegistry
class AuditJobTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = RocksDbMiniCluster.extension();

    @Test
    void aReplayTopicIsAuditedAndTheJobFinishes(EmbeddedKafka kafka, ApicurioRegistry registry, @TempDir Path checkpoints) throws Exception {
        String topic = "ballast.replay.audit-test";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        RebalancePlan made = RebalanceArchiveFixture.plan(RebalanceArchiveFixture.cluster(RebalanceArchiveFixture.PLACEMENT),
                RebalanceArchiveFixture.T0.plusSeconds(30), List.of(new InputPosition("ballast.nodes", 0, 2),
                        new InputPosition("ballast.shards.load", 1, 4)));
        UUID forgedId = UUID.randomUUID();
        RebalancePlan forged = RebalancePlan.newBuilder(made).setPlanId(forgedId.toString())
                .setEnvelope(Envelope.newBuilder(made.getEnvelope()).setEventId(forgedId)
                        .setOccurredAt(RebalanceArchiveFixture.T0.plusSeconds(60)).build())
                .setMoves(List.of(ShardMove.newBuilder().setShard("s1").setFromNode("a").setToNode("c").setBytes(50).setPhase(1)
                        .setReason("forged").build())).build();
        List<Object[]> history = new ArrayList<>();
        RebalanceArchiveFixture.reportEvents().forEach((event, origin) -> history.add(new Object[] {event, origin}));
        history.add(new Object[] {made, null});
        history.add(new Object[] {forged, null});
        replay(kafka, registry, topic, history);

        AuditJobConfig config = AuditJobConfig.parse(Map.of("bootstrap.servers", kafka.bootstrapServers(), "registry.url", registry.url(),
                "replay.topic", topic, "jobs", "rebalancer,autoscaler", "tree.size", "10", "tree.root", "ab", "audit.id", "audit-1"));
        CollectingSink<AuditReport> reports = new CollectingSink<>("audit-reports");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(RocksDbMiniCluster.jobConfiguration(checkpoints));
        new AuditJob(config, new AuditJob.Io(AuditJob.kafka(config).replayed(), reports)).build(env);
        env.execute("audit-on-a-replay-topic");

        List<String> outcomes = reports.collected().stream().map(r -> r.getJob() + " " + r.getOutcome() + " " + r.getDecisionsCompared()
                + " inputs " + r.getInputCount() + " " + r.getEnvelope().getCorrelationId() + " tree " + r.getTreeSize()).toList();
        assertEquals(List.of("rebalancer MATCHED 1 inputs 8 audit-1 tree 10", "rebalancer DIFFERS 1 inputs 8 audit-1 tree 10",
                "rebalancer SUMMARY 2 inputs 8 audit-1 tree 10", "autoscaler SUMMARY 0 inputs 0 audit-1 tree 10"), outcomes);
        AuditReport differs = reports.collected().get(1);
        assertEquals(forgedId.toString(), differs.getDecisionEventId().toString());
        assertEquals(true, differs.getRecorded().toString().contains("s1 a->c"), differs.getRecorded().toString());
        assertEquals(true, reports.collected().stream().filter(r -> r.getOutcome() == AuditOutcome.SUMMARY)
                .allMatch(r -> r.getJob().toString().equals(r.getSubject().toString())), "a summary's subject is its job");
    }

    /** The events as the store's replay writes them: wire-format bytes, positions in order, type, and where each was read. */
    private static void replay(EmbeddedKafka kafka, ApicurioRegistry registry, String topic, List<Object[]> history) throws Exception {
        EventSerializer<SpecificRecord> serializer = new EventSerializer<>(RegistryClient.connect(RegistryConfig.of(registry.url())));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            long position = 0;
            for (Object[] h : history) {
                SpecificRecord event = (SpecificRecord) h[0];
                InputPosition origin = (InputPosition) h[1];
                Envelope envelope = (Envelope) event.get(0);
                TopicSpec source = Topics.all().stream().filter(t -> t.value() instanceof io.ballast.catalog.ValueFormat.Avro a
                        && a.type() == event.getClass()).findFirst().orElseThrow();
                RecordHeaders headers = new RecordHeaders();
                headers.add(ReplayHeaders.POSITION, Long.toString(position++).getBytes(StandardCharsets.UTF_8));
                headers.add(ReplayHeaders.TYPE, event.getSchema().getName().getBytes(StandardCharsets.UTF_8));
                if (origin != null) {
                    headers.add(ReplayHeaders.SOURCE_TOPIC, origin.topic().getBytes(StandardCharsets.UTF_8));
                    headers.add(ReplayHeaders.SOURCE_PARTITION, Integer.toString(origin.partition()).getBytes(StandardCharsets.UTF_8));
                    headers.add(ReplayHeaders.SOURCE_OFFSET, Long.toString(origin.offset()).getBytes(StandardCharsets.UTF_8));
                }
                producer.send(new ProducerRecord<>(topic, null, envelope.getOccurredAt().toEpochMilli(),
                        envelope.getSubject().getBytes(StandardCharsets.UTF_8), serializer.serialize(source.name(), event), headers)).get();
            }
        }
    }
}
