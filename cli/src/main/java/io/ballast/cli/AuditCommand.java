package io.ballast.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.ballast.audit.ProofDocuments;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ballast audit}: inclusion and consistency proofs from the store, checked offline, and a full verification. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Prove, check and verify the event store's history.",
        subcommands = {AuditCommand.Prove.class, AuditCommand.Consistency.class, AuditCommand.VerifyProof.class, AuditCommand.Verify.class})
final class AuditCommand {

    /** Prints what the store answered, or its error; exit 0, 1 when the store refused, 2 when it cannot be reached. */
    static int print(CommandSpec spec, StoreClient store, String path) {
        try {
            StoreClient.Answer answer = store.get(path);
            if (!answer.ok()) {
                spec.commandLine().getErr().println(answer.error());
                return ExitCodes.SOME_REFUSED;
            }
            spec.commandLine().getOut().println(StoreClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer.body()));
            return ExitCodes.OK;
        } catch (StoreClient.Unreachable e) {
            spec.commandLine().getErr().println(e.getMessage());
            return ExitCodes.FAILED;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Command(name = "prove", mixinStandardHelpOptions = true,
            description = "Print the inclusion proof of an event as JSON, against a signed tree head (check it with verify-proof).")
    static final class Prove implements Callable<Integer> {
        @Option(names = "--event", required = true, paramLabel = "ID", description = "The event's id (its envelope eventId).")
        String event;

        @Mixin
        StoreClient store;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return print(spec, store, "/proofs/inclusion/" + URLEncoder.encode(event, StandardCharsets.UTF_8));
        }
    }

    @Command(name = "consistency", mixinStandardHelpOptions = true,
            description = "Print the proof that the log of N events is a prefix of the log of M events (a signed tree head's size, or now).")
    static final class Consistency implements Callable<Integer> {
        @Option(names = "--from", required = true, paramLabel = "N")
        long from;

        @Option(names = "--to", paramLabel = "M", description = "Default: the current size (a tree head is signed for it).")
        Long to;

        @Mixin
        StoreClient store;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return print(spec, store, "/proofs/consistency?from=" + from + (to == null ? "" : "&to=" + to));
        }
    }

    @Command(name = "verify-proof", mixinStandardHelpOptions = true,
            description = "Check a proof file offline, with no store: exit 0 valid, 1 not valid, 2 unreadable.")
    static final class VerifyProof implements Callable<Integer> {
        @Option(names = "--proof", required = true, paramLabel = "FILE")
        Path proof;

        @Option(names = "--public-key", paramLabel = "FILE",
                description = "The store's public key (<data>/store/keys/ed25519.pub); without it the key in the proof is used, and said so.")
        Path publicKey;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            JsonNode doc;
            byte[] key;
            try {
                doc = StoreClient.JSON.readTree(Files.readAllBytes(proof));
                key = publicKey == null ? null : Files.readAllBytes(publicKey);
            } catch (JsonProcessingException e) {
                err.println(proof + " is not JSON: " + e.getOriginalMessage());
                return ExitCodes.FAILED;
            } catch (IOException e) {
                err.println("cannot read " + e.getMessage());
                return ExitCodes.FAILED;
            }
            if (doc == null || !doc.isObject()) {
                err.println(proof + " is not a JSON object: a proof is what 'ballast audit prove' or 'consistency' printed");
                return ExitCodes.FAILED;
            }
            ProofDocuments.Check check = ProofDocuments.verify(doc, key);
            (check.valid() ? out : err).println((check.valid() ? "valid: " : "NOT valid: ") + check.message());
            return check.valid() ? ExitCodes.OK : ExitCodes.SOME_REFUSED;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Recompute every record, Merkle node and signed tree head; name the first position that does not match. "
                    + "Exit 0 all match, 1 a mismatch.")
    static final class Verify implements Callable<Integer> {
        @Mixin
        StoreClient store;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try {
                StoreClient.Answer answer = store.get("/audit/verify");
                if (!answer.ok()) {
                    spec.commandLine().getErr().println(answer.error());
                    return ExitCodes.FAILED;
                }
                JsonNode r = answer.body();
                PrintWriter out = spec.commandLine().getOut();
                out.println(r.path("events").asLong() + " events, " + r.path("nodesChecked").asLong() + " Merkle nodes, "
                        + r.path("treeHeadsChecked").asInt() + " signed tree heads checked");
                if (r.path("problems").isEmpty()) {
                    out.println("everything matches");
                    return ExitCodes.OK;
                }
                out.println("first position that does not match: " + r.path("firstBadPosition").asLong());
                r.path("problems").forEach(p -> out.println("  " + p.asText()));
                return ExitCodes.SOME_REFUSED;
            } catch (StoreClient.Unreachable e) {
                spec.commandLine().getErr().println(e.getMessage());
                return ExitCodes.FAILED;
            }
        }
    }
}
