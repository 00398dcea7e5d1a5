package io.ballast.cli;

import io.ballast.rederive.AuditPass;
import io.ballast.rederive.DecisionReplay;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ballast replay}: re-publish a range of archived history to a topic, or re-run a decision class over it
 * ({@code --verify autoscaler}) and report every recorded decision that differs from the re-derived one.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Re-publish archived history (--to-topic), or re-run a decision class over it and report differences (--verify).")
final class ReplayCommand implements Callable<Integer> {
    @Option(names = "--from", paramLabel = "T1", description = "Start of the event-time range, ISO-8601 (default: the beginning).")
    Instant from;

    @Option(names = "--to", paramLabel = "T2", description = "End of the range, exclusive (default: the end).")
    Instant to;

    @Option(names = "--type", paramLabel = "X", description = "Only events of this type (e.g. Action).")
    String type;

    @Option(names = "--subject", paramLabel = "S", description = "Only events of this subject (the record key).")
    String subject;

    @Option(names = "--to-topic", paramLabel = "NAME", description = "Re-publish to this topic (use ballast.replay.*: ingest does not archive those).")
    String toTopic;

    @Option(names = "--rate", paramLabel = "N", description = "At most N events per second (default: as fast as Kafka takes them).")
    double rate;

    @Option(names = "--verify", paramLabel = "CLASS", description = "Re-run this decision class over the range instead: ${COMPLETION-CANDIDATES}.",
            completionCandidates = Classes.class)
    String verify;

    @Mixin
    StoreClient store;

    @Mixin
    Endpoints endpoints;

    @Spec
    CommandSpec spec;

    static final class Classes extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        Classes() {
            super(DecisionReplay.all().keySet());
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Instant start = from == null ? Instant.EPOCH : from;
        Instant end = to == null ? Instant.parse("9999-12-31T23:59:59Z") : to;
        try {
            if (verify != null) {
                return verify(start, end, out, err);
            }
            if (toTopic == null) {
                err.println("say where to: --to-topic NAME (re-publish) or --verify CLASS (re-run a decision class)");
                return ExitCodes.FAILED;
            }
            ObjectNode request = StoreClient.JSON.createObjectNode().put("from", start.toString()).put("to", end.toString())
                    .put("toTopic", toTopic).put("rate", rate);
            if (type != null) {
                request.put("type", type);
            }
            if (subject != null) {
                request.put("subject", subject);
            }
            StoreClient.Answer answer = store.post("/replay", request);
            if (!answer.ok()) {
                err.println(answer.error());
                return ExitCodes.FAILED;
            }
            JsonNode r = answer.body();
            out.println("replay " + r.path("replayId").asText() + ": " + r.path("published").asLong() + " events re-published to " + toTopic
                    + " (" + r.path("scanned").asLong() + " in the time range) in " + r.path("seconds").asDouble() + " s, "
                    + r.path("perSecond").asLong() + "/s");
            return ExitCodes.OK;
        } catch (StoreClient.Unreachable e) {
            err.println(e.getMessage());
            return ExitCodes.FAILED;
        }
    }

    private int verify(Instant start, Instant end, PrintWriter out, PrintWriter err) throws StoreClient.Unreachable {
        DecisionReplay replay = DecisionReplay.all().get(verify);
        if (replay == null) {
            err.println("no decision class '" + verify + "'; known: " + DecisionReplay.all().keySet());
            return ExitCodes.FAILED;
        }
        List<DecisionReplay.Difference> differences = new ArrayList<>();
        AuditPass pass = new AuditPass();
        ArchiveStream archive = new ArchiveStream(store, endpoints.clients().registry(), pass);
        AuditPass.Part part = pass.add(replay, p -> replay.start(o -> {
            if (!o.matched()) {
                differences.add(o.difference());
            }
        }));
        try {
            archive.read(start, end, Long.MAX_VALUE);
        } catch (ArchiveStream.Refused e) {
            err.println(e.getMessage());
            return ExitCodes.FAILED;
        }
        pass.finish();
        out.println(verify + ": " + part.span().inputs() + " archived inputs re-run, " + part.decisions() + " recorded decisions, "
                + differences.size() + " differ");
        for (DecisionReplay.Difference d : differences) {
            out.println("  " + d.subject() + " at " + d.at());
            out.println("    recorded:   " + d.recorded());
            out.println("    re-derived: " + d.rederived());
        }
        return differences.isEmpty() ? ExitCodes.OK : ExitCodes.SOME_REFUSED;
    }
}
