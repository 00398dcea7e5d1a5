package io.ballast.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.ballast.audit.LogProofs;
import io.ballast.audit.MerkleHash;
import io.ballast.audit.NoteKey;
import io.ballast.audit.ProofDocuments;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ballast audit}: inclusion and consistency proofs from the store, checked offline, and a full verification. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Prove, check and verify the event store's history.",
        subcommands = {AuditCommand.Prove.class, AuditCommand.Consistency.class, AuditCommand.Checkpoint.class, AuditCommand.VerifyProof.class,
                AuditCommand.Verify.class, AuditDecisions.class})
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

    @Command(name = "checkpoint", mixinStandardHelpOptions = true,
            description = "Print the store's latest signed tree head as a C2SP checkpoint (a signed note), or with --key the note "
                    + "verifier key that checks it (pin it: it is what others give to verify-proof --note-key).")
    static final class Checkpoint implements Callable<Integer> {
        @Option(names = "--key", description = "Print the verifier key (name+hash+base64) instead of the checkpoint.")
        boolean key;

        @Mixin
        StoreClient store;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try {
                StoreClient.TextAnswer answer = store.getText(key ? "/checkpoint/key" : "/checkpoint");
                if (!answer.ok()) {
                    spec.commandLine().getErr().println(answer.error());
                    return ExitCodes.SOME_REFUSED;
                }
                spec.commandLine().getOut().print(answer.text());
                spec.commandLine().getOut().flush();
                return ExitCodes.OK;
            } catch (StoreClient.Unreachable e) {
                spec.commandLine().getErr().println(e.getMessage());
                return ExitCodes.FAILED;
            }
        }
    }

    @Command(name = "verify-proof", mixinStandardHelpOptions = true,
            description = {"Check a proof offline, with no store: exit 0 valid, 1 not valid, 2 unreadable.",
                    "A proof file is what 'ballast audit prove' or 'consistency' printed, or another log's proof in the JSON form of the "
                            + "RFC 6962 test vectors ({leafIdx, treeSize, root, leafHash, proof} or {size1, size2, root1, root2, proof}).",
                    "Or give the proof as options: --index and --leaf-hash (or --leaf-file) with --path for an inclusion proof, "
                            + "--old-size and --old-root with --path for a consistency proof; against a checkpoint signed by the log "
                            + "(--checkpoint with --note-key) or a bare --size and --root. Hashes in base64 or hex."})
    static final class VerifyProof implements Callable<Integer> {
        @Option(names = "--proof", paramLabel = "FILE", description = "A proof document (JSON).")
        Path proof;

        @Option(names = "--public-key", paramLabel = "FILE",
                description = "The store's public key (<data>/store/keys/ed25519.pub) for a Ballast proof document; without it the "
                        + "key in the proof is used, and said so.")
        Path publicKey;

        @Option(names = "--checkpoint", paramLabel = "FILE", description = "A C2SP checkpoint (signed note) of the log the proof is in.")
        Path checkpoint;

        @Option(names = "--note-key", paramLabel = "VKEY", description = "The log's note verifier key, name+hash+base64 "
                + "(e.g. what 'ballast audit checkpoint --key' prints); the checkpoint must carry a valid signature by it.")
        String noteKey;

        @Option(names = "--size", paramLabel = "N", description = "A bare tree size to check against (with --root), taken on trust.")
        Long size;

        @Option(names = "--root", paramLabel = "HASH", description = "A bare root hash to check against (with --size).")
        String root;

        @Option(names = "--index", paramLabel = "N", description = "The leaf's index, for an inclusion proof.")
        Long index;

        @Option(names = "--leaf-hash", paramLabel = "HASH", description = "The leaf hash, SHA-256(0x00 || leaf).")
        String leafHash;

        @Option(names = "--leaf-file", paramLabel = "FILE", description = "The leaf's raw bytes (hashed as RFC 6962 does).")
        Path leafFile;

        @Option(names = "--old-size", paramLabel = "N", description = "The smaller tree's size, for a consistency proof.")
        Long oldSize;

        @Option(names = "--old-root", paramLabel = "HASH", description = "The smaller tree's root, for a consistency proof.")
        String oldRoot;

        @Option(names = "--path", paramLabel = "HASH", split = ",", description = "The proof's hashes, in order, comma-separated.")
        List<String> path = new ArrayList<>();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ProofDocuments.Check check;
            try {
                LogProofs.Head head = head();
                if (proof != null) {
                    JsonNode doc = StoreClient.JSON.readTree(Files.readAllBytes(proof));
                    if (doc == null || !doc.isObject()) {
                        err.println(proof + " is not a JSON object: a proof is what 'ballast audit prove' or 'consistency' printed, "
                                + "or another log's proof as {leafIdx, treeSize, root, leafHash, proof}");
                        return ExitCodes.FAILED;
                    }
                    check = ProofDocuments.isLogProof(doc) ? ProofDocuments.verifyLogProof(doc, head)
                            : ProofDocuments.verify(doc, publicKey == null ? null : Files.readAllBytes(publicKey));
                } else {
                    check = fromOptions(head);
                }
            } catch (JsonProcessingException e) {
                err.println(proof + " is not JSON: " + e.getOriginalMessage());
                return ExitCodes.FAILED;
            } catch (IOException e) {
                err.println("cannot read " + e.getMessage());
                return ExitCodes.FAILED;
            } catch (LogProofs.NotSignedException e) {
                check = new ProofDocuments.Check(false, e.getMessage());
            } catch (IllegalArgumentException e) {
                err.println(e.getMessage());
                return ExitCodes.FAILED;
            }
            (check.valid() ? out : err).println((check.valid() ? "valid: " : "NOT valid: ") + check.message());
            return check.valid() ? ExitCodes.OK : ExitCodes.SOME_REFUSED;
        }

        /** What the proof is checked against: a signed checkpoint, a bare size and root, or (null) what the proof file carries. */
        private LogProofs.Head head() throws IOException {
            if (checkpoint != null || noteKey != null) {
                if (checkpoint == null || noteKey == null) {
                    throw new IllegalArgumentException("a checkpoint is checked with the log's key: give both --checkpoint FILE and --note-key VKEY");
                }
                return LogProofs.Head.signed(Files.readString(checkpoint), NoteKey.parse(noteKey));
            }
            if (size != null || root != null) {
                if (size == null || root == null) {
                    throw new IllegalArgumentException("a bare tree head is a size and a root: give both --size N and --root HASH");
                }
                return LogProofs.Head.bare(size, LogProofs.hash(root));
            }
            return null;
        }

        private ProofDocuments.Check fromOptions(LogProofs.Head head) throws IOException {
            if (head == null) {
                throw new IllegalArgumentException("say what to check: --proof FILE, or a proof as options against --checkpoint FILE "
                        + "--note-key VKEY or --size N --root HASH");
            }
            List<byte[]> hashes = new ArrayList<>();
            for (String h : path) {
                hashes.add(LogProofs.hash(h));
            }
            if (index != null) {
                if ((leafHash == null) == (leafFile == null)) {
                    throw new IllegalArgumentException("an inclusion proof needs the leaf: --leaf-hash HASH or --leaf-file FILE (one of them)");
                }
                byte[] leaf = leafHash != null ? LogProofs.hash(leafHash) : MerkleHash.leaf(Files.readAllBytes(leafFile));
                return LogProofs.inclusion(leaf, index, hashes, head);
            }
            if (oldSize != null && oldRoot != null) {
                return LogProofs.consistency(oldSize, LogProofs.hash(oldRoot), hashes, head);
            }
            throw new IllegalArgumentException("say which proof: --index N with --leaf-hash or --leaf-file (inclusion), or --old-size N "
                    + "with --old-root HASH (consistency), each with --path");
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
