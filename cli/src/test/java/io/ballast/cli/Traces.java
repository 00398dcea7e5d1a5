package io.ballast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.ballast.catalog.Topics;
import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.junit.KafkaRecords;
import io.ballast.events.ScalingDecision;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import io.ballast.serde.EventDecoder;

/**
 * The example traces as tests produce them: one service renamed, and every event time moved to the present by one
 * shift (as {@code produce --rebase-time} does), so that the trace lies ahead of the watermark that other tests'
 * events on the shared broker have moved, and its halves keep their times when produced separately.
 */
final class Traces {
    private Traces() {
    }

    static List<String> autoscale(String service) throws Exception {
        List<String> trace = Files.readAllLines(Path.of("..", "examples", "autoscale", "trace.ndjson")).stream()
                .map(line -> line.replace("\"checkout", "\"" + service)).toList();
        long shift = TimeRebase.shift(trace, Instant.now());
        return trace.stream().map(line -> TimeRebase.apply(line, shift)).toList();
    }

    /** Produces part of the autoscaler trace with {@code ballast produce}, each line to its topic. */
    static void produce(EmbeddedKafka kafka, ApicurioRegistry registry, Path dir, String part, List<String> lines) throws Exception {
        for (String[] topic : new String[][] {{"maxReplicas", "ballast.policies"}, {"currentReplicas", "ballast.replicas"},
                {"\"metric\"", "ballast.metrics.raw"}}) {
            List<String> selected = lines.stream().filter(l -> l.contains(topic[0])).toList();
            if (selected.isEmpty()) {
                continue;
            }
            Path file = Files.write(dir.resolve(part + "-" + topic[1] + ".ndjson"), selected);
            CliRun run = CliRun.against(kafka.bootstrapServers(), registry.url(), "produce", "--topic", topic[1], "--file", file.toString());
            assertEquals(0, run.exitCode(), run.err());
        }
    }

    /** The scaling decisions of {@code service} a read_committed reader sees, as "current->desired", once {@code expected} are there. */
    static List<String> decisions(EmbeddedKafka kafka, ApicurioRegistry registry, String service, int expected) {
        EventDecoder<ScalingDecision> decoder = EventDecoder.specific(RegistryClient.connect(RegistryConfig.of(registry.url())),
                ScalingDecision.class);
        return KafkaRecords.await(kafka, Topics.DECISIONS_SCALING.name(), r -> service.equals(new String(r.key(), StandardCharsets.UTF_8)),
                expected, Duration.ofSeconds(120)).stream().map(decoder::decode)
                .map(d -> d.getCurrentReplicas() + "->" + d.getDesiredReplicas()).toList();
    }
}
