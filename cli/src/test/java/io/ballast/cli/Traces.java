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
import io.ballast.events.CacheInvalidation;
import io.ballast.events.RebalancePlan;
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

    /**
     * The rebalancer's example trace for {@code cluster}, followed by {@code later} lines in the trace's own time
     * (before the shift), all moved to the present by one shift.
     */
    static List<String> rebalance(String cluster, List<String> later) throws Exception {
        List<String> trace = new java.util.ArrayList<>(Files.readAllLines(Path.of("..", "examples", "rebalance", "trace.ndjson")));
        trace.addAll(later);
        List<String> renamed = trace.stream().map(line -> line.replace("\"search-eu\"", "\"" + cluster + "\"")).toList();
        long shift = TimeRebase.shift(renamed, Instant.now());
        return renamed.stream().map(line -> TimeRebase.apply(line, shift)).toList();
    }

    /** Produces a file of mixed events with {@code ballast produce}, each line to the topic its fields name. */
    static void produceMixed(EmbeddedKafka kafka, ApicurioRegistry registry, Path dir, String part, List<String> lines) throws Exception {
        Path file = Files.write(dir.resolve(part + ".ndjson"), lines);
        CliRun run = CliRun.against(kafka.bootstrapServers(), registry.url(), "produce", "--file", file.toString());
        assertEquals(0, run.exitCode(), run.err());
    }

    /** The rebalance plans of {@code cluster} a read_committed reader sees, once {@code expected} are there. */
    static List<RebalancePlan> plans(EmbeddedKafka kafka, ApicurioRegistry registry, String cluster, int expected) {
        EventDecoder<RebalancePlan> decoder = EventDecoder.specific(RegistryClient.connect(RegistryConfig.of(registry.url())),
                RebalancePlan.class);
        return KafkaRecords.await(kafka, Topics.PLANS_REBALANCE.name(), r -> cluster.equals(new String(r.key(), StandardCharsets.UTF_8)),
                expected, Duration.ofSeconds(120)).stream().map(decoder::decode).toList();
    }

    /** The invalidations of the entities {@code wanted} accepts, as "key@version", once {@code expected} are there. */
    static java.util.Set<String> invalidatedKeys(EmbeddedKafka kafka, ApicurioRegistry registry, java.util.function.Predicate<String> wanted,
                                                 java.util.Set<String> expected) {
        EventDecoder<CacheInvalidation> decoder = EventDecoder.specific(RegistryClient.connect(RegistryConfig.of(registry.url())),
                CacheInvalidation.class);
        java.util.Set<String> seen = new java.util.TreeSet<>();
        io.ballast.embedded.junit.Await.until("the invalidations " + expected, Duration.ofSeconds(120), () -> {
            seen.clear();
            KafkaRecords.await(kafka, Topics.CACHE_INVALIDATIONS.name(), r -> r.key() != null
                    && wanted.test(new String(r.key(), StandardCharsets.UTF_8)), 1, Duration.ofSeconds(5)).stream().map(decoder::decode)
                    .forEach(i -> i.getKeys().forEach(k -> seen.add(k.getKey() + "@" + k.getVersion())));
            return seen.containsAll(expected);
        });
        return seen;
    }

    /** Produces part of the autoscaler trace with {@code ballast produce}, each line to its topic. */
    static void produce(EmbeddedKafka kafka, ApicurioRegistry registry, Path dir, String part, List<String> lines) throws Exception {
        produce(kafka.bootstrapServers(), registry, dir, part, lines);
    }

    /** As above, to the brokers at {@code bootstrap}. */
    static void produce(String bootstrap, ApicurioRegistry registry, Path dir, String part, List<String> lines) throws Exception {
        for (String[] topic : new String[][] {{"maxReplicas", "ballast.policies"}, {"currentReplicas", "ballast.replicas"},
                {"\"metric\"", "ballast.metrics.raw"}}) {
            List<String> selected = lines.stream().filter(l -> l.contains(topic[0])).toList();
            if (selected.isEmpty()) {
                continue;
            }
            Path file = Files.write(dir.resolve(part + "-" + topic[1] + ".ndjson"), selected);
            CliRun run = CliRun.against(bootstrap, registry.url(), "produce", "--topic", topic[1], "--file", file.toString());
            assertEquals(0, run.exitCode(), run.err());
        }
    }

    /** The scaling decisions of {@code service} a read_committed reader sees, as "current->desired", once {@code expected} are there. */
    static List<String> decisions(EmbeddedKafka kafka, ApicurioRegistry registry, String service, int expected) {
        return decisions(kafka.bootstrapServers(), registry, service, expected);
    }

    /** As above, on the brokers at {@code bootstrap}. */
    static List<String> decisions(String bootstrap, ApicurioRegistry registry, String service, int expected) {
        EventDecoder<ScalingDecision> decoder = EventDecoder.specific(RegistryClient.connect(RegistryConfig.of(registry.url())),
                ScalingDecision.class);
        return KafkaRecords.await(bootstrap, Topics.DECISIONS_SCALING.name(), r -> service.equals(new String(r.key(), StandardCharsets.UTF_8)),
                expected, Duration.ofSeconds(120)).stream().map(decoder::decode)
                .map(d -> d.getCurrentReplicas() + "->" + d.getDesiredReplicas()).toList();
    }
}
