package io.ballast.jobs.audit;

import java.io.Serializable;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ballast.rederive.DecisionReplay;
import io.ballast.rederive.SignedTreeHead;
import io.ballast.client.ClientConfig;
import io.ballast.jobs.JobArguments;
import io.ballast.jobs.autoscale.AutoscalerJobConfig;
import io.ballast.jobs.autoscale.AutoscalerJobConfig.Key;

/**
 * The audit job's configuration, every key declared once in {@link #KEYS}: the replay topic the CLI filled with the
 * range's archived events, the decision classes to re-run, the range, and the store's signed tree head the events were
 * read below. {@code ballast audit decisions --on-flink} sets them all.
 */
public record AuditJobConfig(ClientConfig clients, String replayTopic, List<String> jobs, Instant from, Instant to, SignedTreeHead head,
                             String auditId) implements Serializable {
    public static final List<Key> KEYS = List.of(
            new Key("replay.topic", "", "the replay topic to read, from its start to its end when the job starts (required)"),
            new Key("jobs", "autoscaler,invalidator,rebalancer", "the decision classes to re-run"),
            new Key("from", "1970-01-01T00:00:00Z", "start of the audited event-time range (reported)"),
            new Key("to", "9999-12-31T23:59:59Z", "end of the range, exclusive (reported)"),
            new Key("tree.size", "0", "the size of the store's signed tree head every replayed event is below"),
            new Key("tree.root", "", "that head's root hash, hex"),
            new Key("tree.checkpoint", "", "that head as a signed note (empty: none)"),
            new Key("audit.id", "", "the id every report carries as its correlationId (required)"));

    public AuditJobConfig {
        if (replayTopic.isBlank()) {
            throw new IllegalArgumentException("replay.topic is required: the topic a replay of the event store filled");
        }
        if (auditId.isBlank()) {
            throw new IllegalArgumentException("audit.id is required: the reports' correlationId");
        }
        for (String job : jobs) {
            if (!DecisionReplay.all().containsKey(job)) {
                throw new IllegalArgumentException("jobs: no decision class '" + job + "'; known: " + DecisionReplay.all().keySet());
            }
        }
        jobs = List.copyOf(jobs);
    }

    /** Parses {@code key=value} pairs over the defaults. */
    public static AuditJobConfig parse(Map<String, String> given) {
        Map<String, String> own = new LinkedHashMap<>(given);
        ClientConfig clients = JobArguments.takeClientConfig(own);
        Map<String, String> v = AutoscalerJobConfig.values("audit", KEYS, own);
        return new AuditJobConfig(clients, v.get("replay.topic"), Arrays.stream(v.get("jobs").split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList(), instant("from", v.get("from")), instant("to", v.get("to")),
                new SignedTreeHead(Long.parseLong(v.get("tree.size")), v.get("tree.root"), v.get("tree.checkpoint").isEmpty() ? null
                        : v.get("tree.checkpoint")), v.get("audit.id"));
    }

    private static Instant instant(String key, String value) {
        try {
            return Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(key + ": '" + value + "' is not an ISO-8601 instant (e.g. 2026-01-01T00:00:00Z)");
        }
    }
}
