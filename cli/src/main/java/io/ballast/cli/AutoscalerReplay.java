package io.ballast.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import io.ballast.autoscale.AutoscalerSettings;
import io.ballast.autoscale.DecisionRecords;
import io.ballast.autoscale.Input;
import io.ballast.autoscale.Simulation;
import io.ballast.events.MetricEvaluation;
import io.ballast.events.MetricSample;
import io.ballast.events.ReplicaStatus;
import io.ballast.events.ScalingDecision;
import io.ballast.events.ScalingPolicy;

/** The autoscaler's {@link Simulation} over archived policies, replica statuses and samples, against the recorded decisions. */
final class AutoscalerReplay implements DecisionReplay {
    private final AutoscalerSettings settings;
    private final Duration idleTimeout;
    private final Duration outOfOrderness;

    /** With the job's defaults: its settings, an idle timeout of 1 h and 5 s of out-of-orderness. */
    AutoscalerReplay() {
        this(AutoscalerSettings.DEFAULTS, Duration.ofHours(1), Duration.ofSeconds(5));
    }

    AutoscalerReplay(AutoscalerSettings settings, Duration idleTimeout, Duration outOfOrderness) {
        this.settings = settings;
        this.idleTimeout = idleTimeout;
        this.outOfOrderness = outOfOrderness;
    }

    @Override
    public String name() {
        return "autoscaler";
    }

    @Override
    public Set<String> inputTypes() {
        return Set.of("ScalingPolicy", "ReplicaStatus", "MetricSample");
    }

    @Override
    public String decisionType() {
        return "ScalingDecision";
    }

    @Override
    public List<Outcome> check(List<JsonNode> inputs, List<JsonNode> recorded) {
        List<Input> trace = new ArrayList<>();
        for (JsonNode e : inputs) {
            String type = e.path("type").asText();
            JsonNode data = e.path("data");
            switch (type) {
                case "ScalingPolicy" -> trace.add(Input.of(AvroRecords.fromJson(data, ScalingPolicy.class)));
                case "ReplicaStatus" -> trace.add(Input.of(AvroRecords.fromJson(data, ReplicaStatus.class)));
                case "MetricSample" -> trace.add(Input.of(AvroRecords.fromJson(data, MetricSample.class)));
                default -> { }
            }
        }
        Map<String, ScalingDecision> derived = new TreeMap<>();
        new Simulation(settings, idleTimeout).run(trace).published()
                .forEach(d -> derived.put(key(d.service(), d.evaluatedAt()), DecisionRecords.toEvent(d)));
        Map<String, ScalingDecision> kept = new LinkedHashMap<>();
        recorded.forEach(e -> {
            ScalingDecision d = AvroRecords.fromJson(e.path("data"), ScalingDecision.class);
            kept.put(key(d.getService(), d.getEvaluatedAt()), d);
        });
        List<Outcome> outcomes = new ArrayList<>();
        kept.forEach((key, rec) -> {
            ScalingDecision again = derived.remove(key);
            outcomes.add(new Outcome(rec.getService(), rec.getEvaluatedAt().toString(), rec.getEnvelope().getEventId().toString(),
                    again != null && again.getDesiredReplicas() == rec.getDesiredReplicas(), explain(rec),
                    again == null ? "no decision at this instant" : explain(again)));
        });
        // the job evaluates an instant once its watermark (latest input - out-of-orderness) passes it: a decision the re-run
        // makes after that is not missing from the record, only not due yet
        Instant due = trace.stream().map(Input::at).max(Instant::compareTo).orElse(Instant.MIN).minus(outOfOrderness);
        derived.values().stream().filter(again -> !again.getEvaluatedAt().isAfter(due)).forEach(again -> outcomes.add(new Outcome(again.getService(), again.getEvaluatedAt().toString(), "", false,
                "no decision recorded at this instant", explain(again))));
        return outcomes;
    }

    private static String key(String service, Instant at) {
        return service + "@" + at.toEpochMilli();
    }

    static String explain(ScalingDecision d) {
        StringBuilder s = new StringBuilder(d.getCurrentReplicas() + " -> " + d.getDesiredReplicas());
        for (MetricEvaluation m : d.getMetrics()) {
            s.append("; ").append(m.getMetric()).append(' ').append(m.getCurrentValue()).append(" vs target ").append(m.getTarget())
                    .append(" -> ").append(m.getProposedReplicas());
            if (!m.getNote().isEmpty()) {
                s.append(" (").append(m.getNote()).append(')');
            }
        }
        if (d.getLimitedBy() != null) {
            s.append("; limited by ").append(d.getLimitedBy());
        }
        return s.toString();
    }
}
