package io.ballast.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ballast.rederive.AuditPass;
import io.ballast.rederive.DecisionReplay;
import io.ballast.catalog.Topics;
import io.ballast.client.KafkaClients;
import io.ballast.events.AuditOutcome;
import io.ballast.events.AuditReport;
import io.ballast.serde.EventDecoder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code ballast audit decisions --on-flink}: the same audit as the CLI's, run by the job jar's bounded audit job on a
 * Flink cluster. The store replays the range's archived events of the audited classes (below the signed tree head) to
 * a replay topic of one partition, in event-time order; the audit job re-runs the classes over it and publishes the
 * reports; this reads them back by the audit's id, prints the summary and deletes the replay topic.
 */
final class AuditOnFlink {
    private static final String ENTRY_CLASS = "io.ballast.jobs.audit.AuditJob";
    private final StoreClient store;
    private final KafkaClients clients;
    private final Endpoints endpoints;
    private final FlinkRest flink;
    private final Path jar;
    private final Duration timeout;

    AuditOnFlink(StoreClient store, Endpoints endpoints, FlinkRest flink, Path jar, Duration timeout) {
        this.store = store;
        this.endpoints = endpoints;
        this.clients = endpoints.clients();
        this.flink = flink;
        this.jar = jar;
        this.timeout = timeout;
    }

    /** Runs the audit; the exit code: 0 every decision matched, 1 some differ. */
    int run(List<String> jobs, JsonNode head, Instant start, Instant end, PrintWriter out) throws Exception {
        String auditId = UUID.randomUUID().toString();
        String topic = "ballast.replay.audit-" + auditId;
        TopicPartition reports = new TopicPartition(Topics.AUDIT_REPORTS.name(), 0);
        try (Admin admin = clients.admin()) {
            // one partition: the audit job reads the range in the order the store replays it, event time; no time-based
            // retention: the records carry their original event times, which a retention of days would delete at once
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())
                    .configs(Map.of("retention.ms", "-1")))).all().get(30, TimeUnit.SECONDS);
            io.ballast.catalog.TopicInitializer.awaitWritable(admin, List.of(topic));
            try {
                long firstReport = endOffset(reports);
                long started = System.nanoTime();
                JsonNode replayed = replay(jobs, head, start, end, topic);
                double replaySeconds = (System.nanoTime() - started) / 1e9;
                String jarId = flink.upload(jar);
                String jobId = flink.run(jarId, new FlinkRest.Run(ENTRY_CLASS, arguments(jobs, head, start, end, topic, auditId), 1, null,
                        Map.of()));
                long submitted = System.nanoTime();
                flink.awaitFinished(jobId, timeout);
                double jobSeconds = (System.nanoTime() - submitted) / 1e9;
                List<AuditReport> found = read(reports, firstReport, auditId);
                return summarize(jobs, found, out, String.format("%,d archived records replayed to %s in %.2f s; Flink job %s re-ran them in "
                        + "%.2f s", replayed.path("published").asLong(), topic, replaySeconds, jobId, jobSeconds), head);
            } finally {
                admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** The store replays every event the classes read, in [start, end) and below the tree head, to {@code topic}. */
    private JsonNode replay(List<String> jobs, JsonNode head, Instant start, Instant end, String topic) throws StoreClient.Unreachable {
        Set<Class<? extends SpecificRecord>> read = new LinkedHashSet<>();
        jobs.forEach(j -> read.addAll(DecisionReplay.all().get(j).types()));
        ObjectNode request = StoreClient.JSON.createObjectNode().put("from", start.toString()).put("to", end.toString())
                .put("toTopic", topic).put("below", head.path("size").asLong());
        ArrayNode types = request.putArray("types");
        for (Class<? extends SpecificRecord> t : read) {
            types.add(t.getSimpleName());
        }
        StoreClient.Answer answer = store.post("/replay", request);
        if (!answer.ok()) {
            throw new IllegalStateException("the event store could not replay the range: " + answer.error());
        }
        return answer.body();
    }

    private List<String> arguments(List<String> jobs, JsonNode head, Instant start, Instant end, String topic, String auditId) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("replay.topic", topic);
        settings.put("jobs", String.join(",", jobs));
        settings.put("from", start.toString());
        settings.put("to", end.toString());
        settings.put("tree.size", Long.toString(head.path("size").asLong()));
        settings.put("tree.root", head.path("root").asText());
        settings.put("tree.checkpoint", head.path("checkpoint").isTextual() ? head.path("checkpoint").asText() : "");
        settings.put("audit.id", auditId);
        return JobSubmission.arguments(endpoints.config(), settings);
    }

    private long endOffset(TopicPartition partition) {
        try (KafkaConsumer<byte[], byte[]> consumer = clients.consumer(Map.of())) {
            return consumer.endOffsets(List.of(partition)).get(partition);
        }
    }

    /** The reports of this audit published after {@code from}, up to the topic's end now (the job acknowledged all before it finished). */
    private List<AuditReport> read(TopicPartition partition, long from, String auditId) {
        EventDecoder<AuditReport> decoder = EventDecoder.specific(clients.registry(), AuditReport.class);
        List<AuditReport> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = clients.consumer(Map.of("isolation.level", "read_committed"))) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, from);
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                    AuditReport report = decoder.decode(r);
                    if (report.getEnvelope().getCorrelationId() != null && auditId.equals(report.getEnvelope().getCorrelationId().toString())) {
                        found.add(report);
                    }
                }
            }
        }
        return found;
    }

    private static int summarize(List<String> jobs, List<AuditReport> reports, PrintWriter out, String how, JsonNode head) {
        List<String> differing = new ArrayList<>();
        long inputs = 0;
        long decisions = 0;
        Set<String> summarized = new LinkedHashSet<>();
        for (String job : jobs) {
            long matched = 0;
            long differ = 0;
            AuditPass.Span span = new AuditPass.Span(0, -1, -1);
            for (AuditReport r : reports) {
                if (!r.getJob().toString().equals(job)) {
                    continue;
                }
                if (r.getOutcome() == AuditOutcome.SUMMARY) {
                    span = new AuditPass.Span(r.getInputCount(), r.getInputsFromPosition(), r.getInputsToPosition());
                    summarized.add(job);
                } else if (r.getOutcome() == AuditOutcome.MATCHED) {
                    matched++;
                } else {
                    differ++;
                    differing.add(AuditDecisions.differs(job, new DecisionReplay.Outcome(r.getSubject().toString(),
                            r.getDecisionAt() == null ? "" : r.getDecisionAt().toString(), r.getDecisionEventId().toString(), false,
                            r.getRecorded().toString(), r.getRederived().toString())));
                }
            }
            inputs += span.inputs();
            decisions += matched + differ;
            out.println(AuditDecisions.summary(job, span, matched, differ));
        }
        if (summarized.size() != jobs.size()) {
            throw new IllegalStateException("the audit job finished without a summary of " + jobs.stream().filter(j -> !summarized.contains(j))
                    .toList() + ": its reports are not all on " + Topics.AUDIT_REPORTS.name());
        }
        out.printf("%s (%,d archived inputs)%n", how, inputs);
        out.println(decisions + " audit reports (and " + jobs.size() + " summaries) published to " + Topics.AUDIT_REPORTS.name()
                + " by the audit job, against the store's tree head of size " + head.path("size").asLong() + " (root "
                + head.path("root").asText() + ")");
        differing.forEach(out::println);
        return differing.isEmpty() ? ExitCodes.OK : ExitCodes.SOME_REFUSED;
    }
}
