package io.ballast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.ballast.audit.Checkpoint;
import io.ballast.audit.LogProofs;
import io.ballast.audit.NoteKey;
import io.ballast.audit.SigningKey;
import io.ballast.rederive.RebalanceArchiveFixture;
import io.ballast.catalog.TopicInitializer;
import io.ballast.catalog.Topics;
import io.ballast.client.ClientConfig;
import io.ballast.client.KafkaClients;
import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.junit.KafkaRecords;
import io.ballast.embedded.junit.WithKafka;
import io.ballast.embedded.junit.WithRegistry;
import io.ballast.events.AuditOutcome;
import io.ballast.events.AuditReport;
import io.ballast.events.RebalancePlan;
import io.ballast.events.ShardMove;
import io.ballast.rebalance.InputPosition;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import io.ballast.serde.EventDecoder;
import io.ballast.serde.EventSerializer;
import io.ballast.store.EventStore;
import io.ballast.store.ExpectedVersion;
import io.ballast.store.NewEvent;
import io.ballast.store.Origin;
import io.ballast.store.StoreSettings;
import io.ballast.store.http.StoreApi;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ballast audit decisions} against a served store holding a cluster's archived reports (with the partitions and
 * offsets they were read at) and the plans recorded for it, a real broker and a real registry: one AuditReport per plan;
 * and the same audit run by the job jar's audit job on a real standalone Flink cluster ({@code --on-flink}).
 */
@WithKafka
@WithRegistry
class AuditDecisionsTest {
    @TempDir
    Path dir;

    @Test
    void everyRecordedPlanIsReportedMatchedOrDifferingAgainstATreeHeadThatCoversItsInputs(EmbeddedKafka kafka, ApicurioRegistry registry)
            throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicInitializer(admin, (short) 1).ensure(Topics.all());
        }
        SigningKey key = SigningKey.loadOrCreate(dir.resolve("keys"));
        RebalancePlan made = RebalanceArchiveFixture.plan(RebalanceArchiveFixture.cluster(RebalanceArchiveFixture.PLACEMENT),
                RebalanceArchiveFixture.T0.plusSeconds(30), List.of(new InputPosition("ballast.nodes", 0, 2),
                        new InputPosition("ballast.shards.load", 1, 4)));
        UUID forgedId = UUID.randomUUID();
        // another event (the store keeps one event per id), a minute later, with moves the planner would not make
        RebalancePlan forged = RebalancePlan.newBuilder(made).setPlanId(forgedId.toString())
                .setEnvelope(io.ballast.events.Envelope.newBuilder(made.getEnvelope()).setEventId(forgedId)
                        .setOccurredAt(RebalanceArchiveFixture.T0.plusSeconds(60)).build())
                .setMoves(List.of(ShardMove.newBuilder().setShard("s1").setFromNode("a").setToNode("c").setBytes(50).setPhase(1)
                        .setReason("forged").build())).build();
        EventSerializer<SpecificRecord> serializer = new EventSerializer<>(RegistryClient.connect(RegistryConfig.of(registry.url())));
        try (EventStore store = EventStore.open(dir.resolve("store"), StoreSettings.DEFAULTS)) {
            for (Map.Entry<SpecificRecord, InputPosition> r : RebalanceArchiveFixture.reportEvents().entrySet()) {
                InputPosition p = r.getValue();
                archive(store, serializer, r.getKey(), new Origin(p.topic(), p.partition(), p.offset()));
            }
            archive(store, serializer, made, null);
            archive(store, serializer, forged, null);
            // appended to the store directly, never read from Kafka: no job read it, the audit leaves it out
            store.append("archive", ExpectedVersion.ANY, List.of(new NewEvent(UUID.randomUUID(), "ShardLoad", RebalanceArchiveFixture.T0,
                    "{}".getBytes(StandardCharsets.UTF_8), Map.of(), new Origin("ballast.shards.load", 1, 99))));
            StoreApi api = StoreApi.start(store, key, RegistryClient.connect(RegistryConfig.of(registry.url())),
                    new KafkaClients(ClientConfig.of(kafka.bootstrapServers(), registry.url())), "127.0.0.1", 0);
            try {
                // all three jobs, in one pass over the range: only the rebalancer's types are archived here
                CliRun run = CliRun.against(kafka.bootstrapServers(), registry.url(), "audit", "decisions",
                        "--store", "http://127.0.0.1:" + api.port());

                assertEquals(1, run.exitCode(), run.out() + run.err());
                assertTrue(run.out().startsWith("autoscaler: no archived inputs in the range, 0 decisions: 0 matched, 0 differ\n"
                        + "invalidator: no archived inputs in the range, 0 decisions: 0 matched, 0 differ\n"
                        + "rebalancer: 8 archived inputs (store positions 0-7), 2 decisions: 1 matched, 1 differ\n"
                        + "  1 archived records of rebalancer's types are not events in the wire format (not read from Kafka): left out\n"
                        + "8 archived inputs read and re-run in one pass in "), run.out());
                assertTrue(run.out().contains(" inputs/s)\n2 audit reports published to ballast.audit.reports, "
                        + "against the store's tree head of size 11 (root "), run.out());
                assertTrue(run.out().endsWith("  rebalancer c1 at 2026-01-01T00:01:00Z\n    recorded:   PLANNED (OVER_CAPACITY): 1 move(s); "
                        + "s1 a->c\n    re-derived: PLANNED (OVER_CAPACITY): 2 move(s); s2 a->b; s3 b->c\n"), run.out());

                EventDecoder<AuditReport> decoder = EventDecoder.specific(RegistryClient.connect(RegistryConfig.of(registry.url())),
                        AuditReport.class);
                List<AuditReport> reports = KafkaRecords.await(kafka, Topics.AUDIT_REPORTS.name(),
                        r -> "rebalancer".equals(new String(r.key(), StandardCharsets.UTF_8)), 2, Duration.ofSeconds(30))
                        .stream().map(decoder::decode).toList();
                assertEquals(List.of(AuditOutcome.MATCHED, AuditOutcome.DIFFERS), reports.stream().map(AuditReport::getOutcome).toList());
                assertEquals(List.of(made.getPlanId(), forged.getPlanId()),
                        reports.stream().map(r -> r.getDecisionEventId().toString()).toList());
                AuditReport matched = reports.get(0);
                assertEquals(8, matched.getInputCount());
                assertEquals(0, matched.getInputsFromPosition());
                assertEquals(7, matched.getInputsToPosition());
                assertEquals(11, matched.getTreeSize());
                LogProofs.Head head = LogProofs.Head.signed(matched.getCheckpoint().toString(),
                        NoteKey.of(Checkpoint.originOf(store.storeId()), key.publicKey()));
                assertEquals(11, head.size());
                assertEquals(java.util.HexFormat.of().formatHex(head.root()), matched.getRootHash().toString());

                // the same audit by the job jar's bounded audit job on a standalone Flink cluster, over a replay topic
                try (StandaloneFlink flink = StandaloneFlink.start(dir.resolve("flink"))) {
                    CliRun onFlink = CliRun.against(kafka.bootstrapServers(), registry.url(), "audit", "decisions", "--on-flink",
                            "--flink", flink.url(), "--store", "http://127.0.0.1:" + api.port());

                    assertEquals(1, onFlink.exitCode(), onFlink.out() + onFlink.err());
                    assertTrue(onFlink.out().startsWith("autoscaler: no archived inputs in the range, 0 decisions: 0 matched, 0 differ\n"
                            + "invalidator: no archived inputs in the range, 0 decisions: 0 matched, 0 differ\n"
                            + "rebalancer: 8 archived inputs (store positions 0-7), 2 decisions: 1 matched, 1 differ\n"
                            + "11 archived records replayed to ballast.replay.audit-"), onFlink.out());
                    assertTrue(onFlink.out().contains(" (8 archived inputs)\n2 audit reports (and 3 summaries) published to "
                            + "ballast.audit.reports by the audit job, against the store's tree head of size 11 (root "), onFlink.out());
                    assertTrue(onFlink.out().endsWith("  rebalancer c1 at 2026-01-01T00:01:00Z\n    recorded:   PLANNED (OVER_CAPACITY): 1 "
                            + "move(s); s1 a->c\n    re-derived: PLANNED (OVER_CAPACITY): 2 move(s); s2 a->b; s3 b->c\n"), onFlink.out());
                    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                        assertEquals(List.of(), admin.listTopics().names().get().stream().filter(t -> t.startsWith("ballast.replay.audit-"))
                                .toList(), "the replay topic is deleted after the audit");
                    }
                }
            } finally {
                api.close();
            }
        }
    }

    /** Appends an event as the store's ingest keeps what it read ({@code origin}): the wire-format bytes a job read. */
    private static void archive(EventStore store, EventSerializer<SpecificRecord> serializer, SpecificRecord event, Origin origin) {
        io.ballast.events.Envelope envelope = (io.ballast.events.Envelope) event.get(event.getSchema().getField("envelope").pos());
        String topic = origin == null ? Topics.PLANS_REBALANCE.name() : origin.topic();
        store.append("archive", ExpectedVersion.ANY, List.of(new NewEvent(envelope.getEventId(), event.getSchema().getName(),
                envelope.getOccurredAt(), serializer.serialize(topic, event), Map.of(), origin)));
    }
}
