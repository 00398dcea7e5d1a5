package io.ballast.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.ballast.catalog.Topics;
import io.ballast.events.AuditOutcome;
import io.ballast.events.AuditReport;
import io.ballast.events.DecisionDifference;
import io.ballast.events.Envelope;
import io.ballast.serde.EventSerializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ballast audit decisions}: re-derives every recorded decision of the jobs in a range from the archive, writes one
 * {@link AuditReport} per decision to ballast.audit.reports (matched or differs, both explained, the inputs' range and the
 * signed tree head that covers them), and prints a summary.
 */
@Command(name = "decisions", mixinStandardHelpOptions = true,
        description = "Re-derive the recorded decisions of a time range from the archive, publish one AuditReport per decision to "
                + "ballast.audit.reports, and print a summary. Exit 0 all match, 1 some differ, 2 on an error.")
final class AuditDecisions implements Callable<Integer> {
    @Option(names = "--from", paramLabel = "T1", description = "Start of the event-time range, ISO-8601 (default: the beginning).")
    Instant from;

    @Option(names = "--to", paramLabel = "T2", description = "End of the range, exclusive (default: the end).")
    Instant to;

    @Option(names = "--job", paramLabel = "JOB", split = ",", description = "The jobs to audit (default: all that can be: ${COMPLETION-CANDIDATES}).",
            completionCandidates = ReplayCommand.Classes.class)
    List<String> jobs;

    @Mixin
    StoreClient store;

    @Mixin
    Endpoints endpoints;

    @Spec
    CommandSpec spec;

    /** One job's audit: its archive range and what each decision came to. */
    private record Audited(String job, ArchiveRange range, List<DecisionReplay.Outcome> outcomes) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Instant start = from == null ? Instant.EPOCH : from;
        Instant end = to == null ? Instant.parse("9999-12-31T23:59:59Z") : to;
        List<String> names = jobs == null ? new ArrayList<>(new java.util.TreeSet<>(DecisionReplay.all().keySet())) : jobs;
        for (String name : names) {
            if (!DecisionReplay.all().containsKey(name)) {
                err.println("no decision class '" + name + "'; known: " + new java.util.TreeSet<>(DecisionReplay.all().keySet()));
                return ExitCodes.FAILED;
            }
        }
        List<Audited> audits = new ArrayList<>();
        JsonNode head;
        try {
            for (String name : names) {
                DecisionReplay replay = DecisionReplay.all().get(name);
                long started = System.nanoTime();
                ArchiveRange range = ArchiveRange.read(store, replay, start, end);
                long read = System.nanoTime();
                List<DecisionReplay.Outcome> outcomes = replay.check(range.inputs(), range.recorded());
                double seconds = (System.nanoTime() - started) / 1e9;
                out.printf("%s: %d archived inputs (store positions %d-%d) re-run in %.2f s (%.2f s reading the archive), %d decisions: "
                        + "%d matched, %d differ%n", name, range.inputs().size(), range.fromPosition(), range.toPosition(), seconds,
                        (read - started) / 1e9, outcomes.size(),
                        outcomes.stream().filter(DecisionReplay.Outcome::matched).count(), outcomes.stream().filter(o -> !o.matched()).count());
                audits.add(new Audited(name, range, outcomes));
            }
            // signed after every input was read: its tree covers them all
            StoreClient.Answer signed = store.post("/tree-heads", StoreClient.JSON.createObjectNode());
            if (!signed.ok()) {
                err.println(signed.error());
                return ExitCodes.FAILED;
            }
            head = signed.body();
        } catch (ArchiveRange.Refused e) {
            err.println(e.getMessage());
            return ExitCodes.FAILED;
        } catch (StoreClient.Unreachable e) {
            err.println(e.getMessage());
            return ExitCodes.FAILED;
        }
        long published = publish(audits, head, start, end);
        out.println(published + " audit reports published to " + Topics.AUDIT_REPORTS.name() + ", against the store's tree head of size "
                + head.path("size").asLong() + " (root " + head.path("root").asText() + ")");
        boolean allMatch = true;
        for (Audited a : audits) {
            for (DecisionReplay.Outcome o : a.outcomes()) {
                if (!o.matched()) {
                    allMatch = false;
                    out.println("  " + a.job() + " " + o.subject() + " at " + o.at());
                    out.println("    recorded:   " + o.recorded());
                    out.println("    re-derived: " + o.rederived());
                }
            }
        }
        return allMatch ? ExitCodes.OK : ExitCodes.SOME_REFUSED;
    }

    /** Sends one report per decision and waits for every acknowledgement: a report counts once Kafka has it. */
    private long publish(List<Audited> audits, JsonNode head, Instant start, Instant end) throws InterruptedException, ExecutionException,
            java.util.concurrent.TimeoutException {
        Instant now = Instant.now();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<String, AuditReport> producer = endpoints.clients().producer(Map.of(ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.CLIENT_ID_CONFIG, "ballast-cli-audit"),
                new StringSerializer(), new EventSerializer<>(endpoints.clients().registry()))) {
            for (Audited a : audits) {
                for (DecisionReplay.Outcome o : a.outcomes()) {
                    sent.add(producer.send(new ProducerRecord<>(Topics.AUDIT_REPORTS.name(), a.job(), report(a, o, head, start, end, now))));
                }
            }
            producer.flush();
            for (Future<RecordMetadata> f : sent) {
                f.get(2, TimeUnit.MINUTES);
            }
        }
        return sent.size();
    }

    private static AuditReport report(Audited a, DecisionReplay.Outcome o, JsonNode head, Instant start, Instant end, Instant now) {
        Instant at;
        try {
            at = Instant.parse(o.at());
        } catch (java.time.format.DateTimeParseException e) {
            at = null;
        }
        return AuditReport.newBuilder()
                .setEnvelope(Envelope.newBuilder().setEventId(UUID.randomUUID()).setType("AuditReport").setSource("ballast-cli-audit")
                        .setSubject(o.subject()).setOccurredAt(now).setRecordedAt(now).build())
                .setJob(a.job()).setFromTime(start).setToTime(end.isAfter(now) ? now : end).setDecisionsCompared(1)
                .setDifferences(o.matched() ? List.of() : List.of(DecisionDifference.newBuilder().setSubject(o.subject())
                        .setRecordedEventId(o.decisionId()).setRecorded(o.recorded()).setRederived(o.rederived()).build()))
                .setOutcome(o.matched() ? AuditOutcome.MATCHED : AuditOutcome.DIFFERS)
                .setSubject(o.subject()).setDecisionEventId(o.decisionId()).setDecisionAt(at)
                .setRecorded(o.recorded()).setRederived(o.rederived())
                .setInputCount(a.range().inputs().size()).setInputsFromPosition(a.range().fromPosition())
                .setInputsToPosition(a.range().toPosition())
                .setTreeSize(head.path("size").asLong()).setRootHash(head.path("root").asText())
                .setCheckpoint(head.path("checkpoint").isTextual() ? head.path("checkpoint").asText() : null)
                .build();
    }
}
