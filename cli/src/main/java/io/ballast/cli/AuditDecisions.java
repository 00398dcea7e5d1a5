package io.ballast.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import io.ballast.rederive.AuditPass;
import io.ballast.rederive.AuditReports;
import io.ballast.rederive.DecisionReplay;
import io.ballast.rederive.SignedTreeHead;
import io.ballast.catalog.Topics;
import io.ballast.events.AuditReport;
import io.ballast.serde.EventSerializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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

    @Option(names = "--on-flink", description = "Run the audit as the job jar's bounded audit job on a Flink cluster (--flink), over a "
            + "replay topic the store fills with the range, instead of in this process.")
    boolean onFlink;

    @Option(names = "--jar", paramLabel = "FILE", description = "With --on-flink: the job jar (default: the one this build made).")
    java.nio.file.Path jar;

    @Option(names = "--timeout", defaultValue = "1h", converter = DurationConverter.class,
            description = "With --on-flink: how long the audit job may take (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin
    FlinkTarget flink;

    @Mixin
    StoreClient store;

    @Mixin
    Endpoints endpoints;

    @Spec
    CommandSpec spec;

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
        if (onFlink) {
            return onFlink(names, start, end, out, err);
        }
        try (Reports reports = new Reports()) {
            // signed first, and only inputs below its size are read: the head covers every input of every report
            StoreClient.Answer signed = store.post("/tree-heads", StoreClient.JSON.createObjectNode());
            if (!signed.ok()) {
                err.println(signed.error());
                return ExitCodes.FAILED;
            }
            JsonNode head = signed.body();
            List<String> differing = new ArrayList<>();
            audit(names, head, start, end, reports, differing, out);
            long published = reports.awaitAll();
            out.println(published + " audit reports published to " + Topics.AUDIT_REPORTS.name() + ", against the store's tree head of size "
                    + head.path("size").asLong() + " (root " + head.path("root").asText() + ")");
            differing.forEach(out::println);
            return differing.isEmpty() ? ExitCodes.OK : ExitCodes.SOME_REFUSED;
        } catch (ArchiveStream.Refused | StoreClient.Unreachable e) {
            err.println(e.getMessage());
            return ExitCodes.FAILED;
        }
    }

    private int onFlink(List<String> names, Instant start, Instant end, PrintWriter out, PrintWriter err) throws Exception {
        try {
            StoreClient.Answer signed = store.post("/tree-heads", StoreClient.JSON.createObjectNode());
            if (!signed.ok()) {
                err.println(signed.error());
                return ExitCodes.FAILED;
            }
            return new AuditOnFlink(store, endpoints, flink.rest(), jar != null ? jar : FlinkJob.builtJar(), timeout)
                    .run(names, signed.body(), start, end, out);
        } catch (StoreClient.Unreachable | FlinkRest.FlinkException | IllegalStateException e) {
            err.println(e.getMessage());
            return ExitCodes.FAILED;
        }
    }

    /**
     * Re-runs the jobs over the archive in one pass, as it is read, publishing each decision's report as soon as it is
     * checked.
     */
    private void audit(List<String> names, JsonNode head, Instant start, Instant end, Reports reports, List<String> differing,
                       PrintWriter out) throws StoreClient.Unreachable, ArchiveStream.Refused {
        AuditPass pass = new AuditPass();
        ArchiveStream archive = new ArchiveStream(store, endpoints.clients().registry(), pass);
        Map<String, AuditPass.Part> parts = new LinkedHashMap<>();
        Map<String, long[]> matched = new LinkedHashMap<>();
        AuditReports.Audit audit = new AuditReports.Audit("ballast-cli-audit", UUID.randomUUID().toString(), start, end,
                new SignedTreeHead(head.path("size").asLong(), head.path("root").asText(),
                        head.path("checkpoint").isTextual() ? head.path("checkpoint").asText() : null), Instant.now());
        for (String name : names) {
            long[] counts = matched.computeIfAbsent(name, n -> new long[2]);
            DecisionReplay replay = DecisionReplay.all().get(name);
            parts.put(name, pass.add(replay, part -> replay.start(o -> {
                counts[o.matched() ? 0 : 1]++;
                if (!o.matched()) {
                    differing.add(differs(name, o));
                }
                reports.send(name, AuditReports.decision(audit, name, part.span(), o));
            })));
        }
        long started = System.nanoTime();
        archive.read(start, end, head.path("size").asLong());
        pass.finish();
        double seconds = (System.nanoTime() - started) / 1e9;
        long inputs = 0;
        for (Map.Entry<String, AuditPass.Part> e : parts.entrySet()) {
            AuditPass.Span span = e.getValue().span();
            long[] counts = matched.get(e.getKey());
            inputs += span.inputs();
            out.println(summary(e.getKey(), span, counts[0], counts[1]));
            long undecodable = archive.undecodable(e.getValue());
            if (undecodable > 0) {
                out.printf("  %d archived records of %s's types are not events in the wire format (not read from Kafka): left out%n",
                        undecodable, e.getKey());
            }
        }
        out.printf("%,d archived inputs read and re-run in one pass in %.2f s (%,.0f inputs/s)%n", inputs, seconds,
                inputs / Math.max(seconds, 1e-9));
    }

    /** A job's line of the summary. */
    static String summary(String job, AuditPass.Span span, long matched, long differ) {
        String read = span.inputs() == 0 ? "no archived inputs in the range"
                : String.format("%d archived inputs (store positions %d-%d)", span.inputs(), span.fromPosition(), span.toPosition());
        return String.format("%s: %s, %d decisions: %d matched, %d differ", job, read, matched + differ, matched, differ);
    }

    /** A differing decision, both explained. */
    static String differs(String job, DecisionReplay.Outcome o) {
        return "  " + job + " " + o.subject() + " at " + o.at() + "\n    recorded:   " + o.recorded() + "\n    re-derived: " + o.rederived();
    }

    /** The reports sent, each counted once Kafka acknowledges it; the first failure fails the audit. */
    private final class Reports implements AutoCloseable {
        private final KafkaProducer<String, AuditReport> producer = endpoints.clients().producer(Map.of(ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.CLIENT_ID_CONFIG, "ballast-cli-audit"),
                new StringSerializer(), new EventSerializer<>(endpoints.clients().registry()));
        private final AtomicLong acknowledged = new AtomicLong();
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        private long sent;

        void send(String job, AuditReport report) {
            sent++;
            producer.send(new ProducerRecord<>(Topics.AUDIT_REPORTS.name(), job, report), (metadata, e) -> {
                if (e == null) {
                    acknowledged.incrementAndGet();
                } else {
                    failure.compareAndSet(null, e);
                }
            });
        }

        /** Waits for every acknowledgement: a report counts once Kafka has it. */
        long awaitAll() throws Exception {
            producer.flush();
            if (failure.get() != null) {
                throw new IllegalStateException("publishing audit reports failed: " + failure.get().getMessage(), failure.get());
            }
            if (acknowledged.get() != sent) {
                throw new IllegalStateException(sent + " audit reports sent, " + acknowledged.get() + " acknowledged");
            }
            return sent;
        }

        @Override
        public void close() {
            producer.close(Duration.ofMinutes(1));
        }
    }
}
