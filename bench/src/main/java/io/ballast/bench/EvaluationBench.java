package io.ballast.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ballast.autoscale.Autoscaler;
import io.ballast.autoscale.AutoscalerSettings;
import io.ballast.autoscale.DecisionState;
import io.ballast.autoscale.Input;
import io.ballast.autoscale.Policy;
import io.ballast.events.InstancePhase;
import io.ballast.events.MetricKind;
import io.ballast.events.MetricSourceType;
import io.ballast.events.TargetType;
import io.ballast.rebalance.ClusterJson;

/**
 * What one evaluation of one service costs the decision class, by its number of instances: a sync period's samples
 * (one CPU sample per instance, with the replica status listing them) folded with {@link Autoscaler#applyAll} and the
 * service decided, as the job does at each timer. No Kafka, no Flink. Arguments: {@code instances=10,100,500 out=FILE}.
 * The figure to read is the time per evaluation and per instance: flat per instance means linear. Each figure has
 * beside it, from the same run, the fold of one {@link Autoscaler#apply} per sample (what the job did before).
 */
public final class EvaluationBench {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private EvaluationBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>(Map.of("instances", "10,100,500", "out", "bench/target/evaluation.json"));
        for (String arg : args) {
            a.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        List<Map<String, Object>> figures = new ArrayList<>();
        for (String n : a.get("instances").split(",")) {
            Map<String, Object> batch = measure(Integer.parseInt(n.trim()), true);
            // the reference, from the same run: the fold the job used before applyAll, one apply (one map copy) per sample
            batch.put("reference", measure(Integer.parseInt(n.trim()), false));
            figures.add(batch);
            System.out.println(batch);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("figures", figures);
        report.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors()));
        Path out = Path.of(a.get("out"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, ClusterJson.write(report));
    }

    private static Map<String, Object> measure(int instances, boolean batched) {
        Autoscaler autoscaler = new Autoscaler(AutoscalerSettings.DEFAULTS);
        Policy.MetricTarget cpu = new Policy.MetricTarget("cpu", MetricSourceType.RESOURCE, TargetType.UTILIZATION, 70, null, null,
                null, false);
        Policy policy = new Policy("svc", 1, 1, 10_000, List.of(cpu), null, 0.1, 0, 0, false);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            names.add("svc-" + i);
        }
        DecisionState state = autoscaler.applyAll(DecisionState.empty("svc"), List.of(new Input.PolicyChange(T0, policy),
                new Input.ReplicaChange(T0, "svc", instances, instances, instances, null, names))).state();
        int warmUp = Math.max(200, 200_000 / instances);
        int rounds = Math.max(500, 2_000_000 / instances);
        long elapsed = 0;
        for (int round = 0; round < warmUp + rounds; round++) {
            Instant at = T0.plusSeconds(15L * (round + 1));
            List<Input> period = new ArrayList<>(instances);
            for (int i = 0; i < instances; i++) {
                // load around the target, so every evaluation computes (no shortcut of a state without samples)
                period.add(new Input.Sample(at, "svc", names.get(i), "cpu", MetricKind.GAUGE, 0.3 + 0.1 * ((round + i) % 5), "cores",
                        InstancePhase.RUNNING, true, false, null, null, 0.5));
            }
            long start = System.nanoTime();
            DecisionState folded = batched ? autoscaler.applyAll(state, period).state() : oneByOne(autoscaler, state, period);
            Autoscaler.Evaluation evaluation = autoscaler.decide(folded, at);
            long took = System.nanoTime() - start;
            // the count stays: the next evaluation starts from the same spec, so each round measures the same work
            state = folded;
            if (round >= warmUp) {
                elapsed += took;
            }
            if (evaluation.state() == null) {
                throw new IllegalStateException("no state");
            }
        }
        double micros = elapsed / 1e3 / rounds;
        Map<String, Object> figure = new LinkedHashMap<>();
        figure.put("instances", instances);
        figure.put("microsPerEvaluation", Math.round(micros * 10) / 10.0);
        figure.put("microsPerInstance", Math.round(micros / instances * 100) / 100.0);
        figure.put("rounds", rounds);
        figure.put("workload", "one service, one CPU sample per instance per sync period, listed instances, "
                + (batched ? "applyAll" : "apply per sample") + " + decide");
        return figure;
    }

    private static DecisionState oneByOne(Autoscaler autoscaler, DecisionState state, List<Input> inputs) {
        DecisionState current = state;
        for (Input input : inputs) {
            current = autoscaler.apply(current, input).state();
        }
        return current;
    }
}
